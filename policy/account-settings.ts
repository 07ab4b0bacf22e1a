import * as aws from "@pulumi/aws";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { resourcesOf } from "./lib/stack-resources";

/**
 * Account-wide settings (the Data Catalog's encryption, EMR block public access) exist once per
 * account and region. A lakehouse stack declares whether it owns them with a component of this type
 * whose outputs hold `owner` (and, when it does not, the owner's `catalogKey`).
 */
export const ACCOUNT_SETTINGS_TYPE = "lakehouse:account:AccountSettings";

/** The stack's declarations of its account settings. */
function declarations(resources: readonly PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => r.type === ACCOUNT_SETTINGS_TYPE);
}

/** Whether the stack declares that another stack owns the account settings (EMR rules read it too). */
export function accountSettingsOwnedElsewhere(resources: readonly PolicyResource[]): boolean {
  const declared = declarations(resources);
  return declared.length === 1 && declared[0].props.owner === false;
}

const SETTINGS = [
  { label: "Data Catalog encryption", resourceClass: aws.glue.DataCatalogEncryptionSettings },
  { label: "EMR block public access", resourceClass: aws.emr.BlockPublicAccessConfiguration },
] as const;

export const accountSettingsSingleOwner: StackValidationPolicy = {
  name: "account-settings-single-owner",
  description:
    "The account-wide settings (Data Catalog encryption, EMR block public access) are set by the stack that " +
    "declares it owns them, each exactly once, and by no other stack: two stacks in one account would " +
    "overwrite each other's settings on every deployment.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Let one stack per account and region own them (accountSettings.owner true); in every other stack set " +
    "owner false with catalogKey naming the owner's key. Create the settings only through AccountSettings.",
  validateStack: (args, reportViolation) => {
    const declared = declarations(args.resources);
    const settings = SETTINGS.map((s) => ({ ...s, found: resourcesOf(args.resources, s.resourceClass) }));
    if (declared.length === 0 && settings.every((s) => s.found.length === 0)) {
      args.notApplicable("Policy only applies to stacks that declare or set account-wide settings");
    }
    if (declared.length !== 1) {
      reportViolation(
        `the stack declares who owns its account settings ${declared.length} times (${ACCOUNT_SETTINGS_TYPE}); once is expected`,
      );
      return;
    }
    const owner = declared[0].props.owner === true;
    for (const { label, found } of settings) {
      if (owner && found.length !== 1) {
        reportViolation(
          `the stack owns the account settings but sets the ${label} ${found.length} times; once is expected`,
          declared[0].urn,
        );
      }
      if (!owner) {
        for (const setting of found) {
          reportViolation(
            `${label} "${setting.name}" is set by a stack that does not own the account settings; its owner sets it`,
            setting.urn,
          );
        }
      }
    }
  },
};

export const ACCOUNT_SETTINGS_POLICIES = [accountSettingsSingleOwner];

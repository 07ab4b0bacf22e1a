import { z } from "zod";
import { DEFAULTS } from "./defaults";

/**
 * Account-wide settings: the Data Catalog's encryption and EMR block public access exist once per
 * account and region. Exactly one stack per account and region owns them (`owner: true`); every other
 * stack there leaves them alone and names the owner's catalog key (`catalogKey`), so its Glue and EMR
 * roles can read and write the encrypted catalog.
 */

/** A KMS key reference: a key ARN, or an alias name (`alias/<name>`) in the stack's own account. */
const KEY_ARN = /^arn:aws(?:-us-gov)?:kms:([a-z0-9-]+):(\d{12}):key\/[A-Za-z0-9-]+$/;
const ALIAS_NAME = /^alias\/[A-Za-z0-9/_-]{1,250}$/;

export const accountSettingsSchema = z
  .object({
    owner: z.boolean().default(DEFAULTS.accountSettings.owner),
    catalogKey: z
      .string()
      .refine((key) => KEY_ARN.test(key) || ALIAS_NAME.test(key), {
        message:
          'must be a KMS key ARN or an alias name such as "alias/iceberg-lakehouse-dev" (aliases ARNs are not accepted)',
      })
      .optional(),
  })
  .strict();

export type AccountSettings = z.infer<typeof accountSettingsSchema>;

/** How a stack that does not own the account settings names the catalog's key. */
export type CatalogKeyReference = { readonly keyArn: string } | { readonly alias: string };

export function catalogKeyReference(catalogKey: string): CatalogKeyReference {
  return catalogKey.startsWith("alias/") ? { alias: catalogKey } : { keyArn: catalogKey };
}

/** The problems of a stack's account settings in its environment and region: (path, message) pairs. */
export function accountSettingsProblems(
  settings: AccountSettings,
  environment: string,
  region: string,
): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  if (settings.owner && environment === "preview") {
    problems.push({
      path: ["owner"],
      message:
        'true is not accepted when environment is "preview": a preview is destroyed with its pull request; ' +
        "set false and catalogKey to the owner's key",
    });
  }
  if (!settings.owner && settings.catalogKey === undefined) {
    problems.push({
      path: ["catalogKey"],
      message:
        "required when accountSettings.owner is false: the KMS key that encrypts this account's Data Catalog " +
        "(the owner stack's key, such as \"alias/iceberg-lakehouse-dev\"), which this stack's Glue and EMR " +
        "roles need to read the catalog",
    });
  }
  if (settings.owner && settings.catalogKey !== undefined) {
    problems.push({
      path: ["catalogKey"],
      message:
        "only accepted when accountSettings.owner is false: the owner encrypts the catalog with its own key",
    });
  }
  const keyRegion = KEY_ARN.exec(settings.catalogKey ?? "")?.[1];
  if (keyRegion !== undefined && keyRegion !== region) {
    problems.push({
      path: ["catalogKey"],
      message: `is a key of ${keyRegion}; the Data Catalog of this stack (${region}) is encrypted with a key of its own region`,
    });
  }
  return problems;
}

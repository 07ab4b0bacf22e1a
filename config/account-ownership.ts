import { DEFAULTS } from "./defaults";
import type { LakehouseConfig } from "./stack-config";

/**
 * One declared owner per account: two stacks that own the account-wide settings (Data Catalog
 * encryption, EMR block public access) in one account and region would overwrite each other's on
 * every deployment. Stacks say which account they deploy to with `aws:allowedAccountIds`; two owners
 * in one region are accepted only when their declared accounts differ.
 */
export interface AccountClaim {
  readonly stack: string;
  readonly region: string | undefined;
  readonly owner: boolean;
  /** `aws:allowedAccountIds`; undefined when the stack does not declare its account. */
  readonly accountIds: readonly string[] | undefined;
}

export function accountClaimOf(stack: string, config: LakehouseConfig): AccountClaim {
  return {
    stack,
    region: config.region,
    owner: config.accountSettings.owner,
    accountIds: config.aws.allowedAccountIds,
  };
}

/**
 * The claim in a stack file's raw values (config/load.ts `stackConfigValues`), read leniently, only
 * the three values it needs: a stack file with an unrelated mistake must not stop another stack's
 * deployment; its own check reports that mistake.
 */
export function accountClaimOfValues(stack: string, values: Record<string, unknown>): AccountClaim {
  const owner = (values.accountSettings as { owner?: unknown } | undefined)?.owner;
  const ids = (values.aws as { allowedAccountIds?: unknown } | undefined)?.allowedAccountIds;
  return {
    stack,
    region: typeof values.region === "string" ? values.region : undefined,
    owner: typeof owner === "boolean" ? owner : DEFAULTS.accountSettings.owner,
    accountIds: Array.isArray(ids) ? ids.map(String) : undefined,
  };
}

/**
 * The conflicts between owners: each pair of owning stacks in one region that share an account, or
 * may (one of them declares none). With `of`, only the pairs that involve that stack.
 */
export function accountOwnershipProblems(claims: readonly AccountClaim[], of?: string): string[] {
  const owners = claims.filter((claim) => claim.owner);
  return owners.flatMap((a, i) =>
    owners
      .slice(i + 1)
      .filter((b) => a.region === b.region && (of === undefined || a.stack === of || b.stack === of))
      .flatMap((b) => conflict(a, b)),
  );
}

function conflict(a: AccountClaim, b: AccountClaim): string[] {
  const label = "[lakehouse.accountSettings.owner]";
  const both = `stacks ${a.stack} and ${b.stack} both own the account settings`;
  const undeclared = [a, b].filter((claim) => claim.accountIds === undefined).map((claim) => claim.stack);
  if (undeclared.length > 0) {
    return [
      `${label} ${both} in ${a.region} and ${undeclared.join(" and ")} ${undeclared.length > 1 ? "declare" : "declares"} ` +
        "no aws:allowedAccountIds, so they may share an account: declare each stack's account in " +
        "aws:allowedAccountIds, or let one of them own the settings",
    ];
  }
  const shared = a.accountIds!.filter((id) => b.accountIds!.includes(id));
  return shared.length === 0
    ? []
    : [
        `${label} ${both} of account ${shared.join(", ")} in ${a.region}: keep owner true in one, and in the ` +
          `other set owner false with catalogKey naming the owner's key (such as "alias/iceberg-lakehouse-${a.stack}")`,
      ];
}

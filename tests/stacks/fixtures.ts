import { readStackConfigFile } from "../../config/load";
import { LakehouseConfig, parseLakehouseConfig } from "../../config/stack-config";

/** Accounts of the ready stacks (not the documentation ids the committed files carry). */
export const DEV_ACCOUNT = "210987654321";
export const PROD_ACCOUNT = "210987654322";

/** dev and prod as a team has them before deploying: their own accounts, and prod's alert address. */
export function readyStackConfigs(): Record<string, LakehouseConfig> {
  const dev = readStackConfigFile("dev");
  const prod = readStackConfigFile("prod");
  return {
    dev: parseLakehouseConfig({ ...dev, aws: { allowedAccountIds: [DEV_ACCOUNT] } }),
    prod: parseLakehouseConfig({
      ...prod,
      aws: { allowedAccountIds: [PROD_ACCOUNT] },
      pipeline: { ...prod.pipeline, alertEmails: ["oncall@data.corp.internal"] },
    }),
  };
}

/** The committed stack file's text with those changes, for a throwaway project folder. */
export function readyStackFileText(stack: "dev" | "prod", committed: string): string {
  const ready = committed
    .replace('"111122223333"', `"${DEV_ACCOUNT}"`)
    .replace('"444455556666"', `"${PROD_ACCOUNT}"`);
  return stack === "prod"
    ? ready.replace(
        "      scheduleEnabled: true\n",
        "      scheduleEnabled: true\n      alertEmails: [oncall@data.corp.internal]\n",
      )
    : ready;
}

import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { AccountClaim, accountClaimOfValues } from "./account-ownership";
import { awsSettingsFromPulumiConfig, awsStackConfigValues } from "./aws-settings";
import { deploymentProblems } from "./deployment-readiness";
import { CONFIG_KEY, LakehouseConfig, parseLakehouseConfig, StackConfigError } from "./stack-config";

/** The Pulumi project name, as in Pulumi.yaml; stack files namespace their keys with it. */
export const PROJECT_NAME = "iceberg-lakehouse";

/** The project folder (holds Pulumi.yaml and the stack files). */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/**
 * Reads and validates the running stack's configuration (index.ts, under `pulumi preview` and `up`):
 * the lakehouse object, `aws:region` and the other `aws:` settings. Then what a deployment needs beyond
 * a valid configuration (config/deployment-readiness.ts), checked against the committed stack files of
 * `projectDir`: `pulumi up` stops on it before any resource is registered; a preview (and the offline
 * plan and policy check, which run the program as a preview does) reports it as a warning, so the
 * committed files can be checked before their owners fill in the real accounts.
 */
export function loadStackConfig(projectDir: string = PROJECT_DIR): LakehouseConfig {
  const raw = new pulumi.Config().getObject<Record<string, unknown>>(CONFIG_KEY);
  const config = parseLakehouseConfig({
    ...(raw ?? {}),
    region: new pulumi.Config("aws").get("region"),
    aws: awsSettingsFromPulumiConfig(pulumi.runtime.allConfig()),
  });
  const stack = pulumi.getStack();
  const others = committedStacks(projectDir).filter((other) => other !== stack);
  const problems = deploymentProblems(
    { stack, config },
    others.map((other) => stackFileAccountClaim(other, projectDir)),
  );
  if (problems.length > 0 && !pulumi.runtime.isDryRun()) {
    throw new StackConfigError(problems);
  }
  problems.forEach((problem) => void pulumi.log.warn(`not ready to deploy: ${problem}`));
  return config;
}

/** Whether a committed stack owns the account settings, where, and in which declared accounts. */
export function stackFileAccountClaim(stack: string, projectDir: string = PROJECT_DIR): AccountClaim {
  return accountClaimOfValues(stack, stackConfigValues(readStackFile(stack, projectDir)));
}

/**
 * Reads and validates `Pulumi.<stack>.yaml` without the Pulumi CLI: the offline plan, the offline
 * policy check, the preview tooling and the tests see exactly what `pulumi up` would.
 */
export function readStackConfigFile(stack: string, projectDir: string = PROJECT_DIR): LakehouseConfig {
  return parseLakehouseConfig(stackConfigValues(readStackFile(stack, projectDir)));
}

/**
 * The configuration of a stack as the Pulumi CLI hands it to the program: every key of the stack
 * file (`aws:region`, `iceberg-lakehouse:lakehouse`, any other `aws:` setting), each value a string,
 * structured values as JSON. Encrypted (`secure:`) values cannot be read without the stack's secrets
 * provider, so they are refused by name rather than passed on as ciphertext.
 */
export function readStackSettings(stack: string, projectDir: string = PROJECT_DIR): Record<string, string> {
  const config = (readStackFile(stack, projectDir).config ?? {}) as Record<string, unknown>;
  const secure = Object.entries(config).filter(
    ([, value]) => value !== null && typeof value === "object" && "secure" in value,
  );
  if (secure.length > 0) {
    throw new StackConfigError(
      secure.map(
        ([key]) => `[${key}] is encrypted (secure:); the offline tools run without the secrets provider`,
      ),
    );
  }
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
}

/**
 * A validated configuration as program settings: `aws:region`, every other `aws:` setting (text as
 * it is, structured values as JSON, as the CLI passes them) and the lakehouse object as JSON.
 */
export function programSettings(config: LakehouseConfig): Record<string, string> {
  const { region, aws, ...lakehouse } = config;
  const awsSettings = Object.entries(awsStackConfigValues(aws))
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [`aws:${key}`, typeof value === "string" ? value : JSON.stringify(value)]);
  return {
    "aws:region": region,
    ...Object.fromEntries(awsSettings),
    [`${PROJECT_NAME}:${CONFIG_KEY}`]: JSON.stringify(lakehouse),
  };
}

/** The raw (unvalidated) lakehouse values of a stack file, with `aws:region` and the other `aws:` keys folded in. */
export function stackConfigValues(stackFile: Record<string, unknown>): Record<string, unknown> {
  const config = (stackFile.config ?? {}) as Record<string, unknown>;
  const lakehouse = (config[`${PROJECT_NAME}:${CONFIG_KEY}`] ?? {}) as Record<string, unknown>;
  const aws = Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith("aws:") && key !== "aws:region")
      .map(([key, value]) => [key.slice("aws:".length), value]),
  );
  return { ...lakehouse, region: config["aws:region"], aws };
}

/** A stack file as YAML gives it: `config`, and what `pulumi stack init` records (`secretsprovider`, ...). */
export function readStackFile(stack: string, projectDir: string = PROJECT_DIR): Record<string, unknown> {
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new StackConfigError([
      `[stack] no stack file ${file}; stacks here: ${listStacks(projectDir).join(", ")}`,
    ]);
  }
  return (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
}

/** Stack names that have a `Pulumi.<stack>.yaml` in the project folder. */
export function listStacks(projectDir: string = PROJECT_DIR): string[] {
  return fs
    .readdirSync(projectDir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/**
 * The stacks committed with the project: `listStacks` without the `pr-<n>` preview stacks, whose
 * `Pulumi.pr-<n>.yaml` files the preview tool (`npm run pr-env -- up`) writes locally.
 */
export function committedStacks(projectDir: string = PROJECT_DIR): string[] {
  return listStacks(projectDir).filter((stack) => !/^pr-\d+$/.test(stack));
}

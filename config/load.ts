import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { CONFIG_KEY, LakehouseConfig, parseLakehouseConfig, StackConfigError } from "./stack-config";

/** The Pulumi project name, as in Pulumi.yaml; stack files namespace their keys with it. */
export const PROJECT_NAME = "iceberg-lakehouse";

/** The project folder (holds Pulumi.yaml and the stack files). */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** Reads and validates the running stack's configuration (used by index.ts under `pulumi up`). */
export function loadStackConfig(): LakehouseConfig {
  const raw = new pulumi.Config().getObject<Record<string, unknown>>(CONFIG_KEY);
  return parseLakehouseConfig({ ...(raw ?? {}), region: new pulumi.Config("aws").get("region") });
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

/** A validated configuration as program settings: `aws:region` and the lakehouse object as JSON. */
export function programSettings(config: LakehouseConfig): Record<string, string> {
  const { region, ...lakehouse } = config;
  return { "aws:region": region, [`${PROJECT_NAME}:${CONFIG_KEY}`]: JSON.stringify(lakehouse) };
}

/** The raw (unvalidated) lakehouse values of a stack file, with `aws:region` folded in. */
export function stackConfigValues(stackFile: Record<string, unknown>): Record<string, unknown> {
  const config = (stackFile.config ?? {}) as Record<string, unknown>;
  const lakehouse = (config[`${PROJECT_NAME}:${CONFIG_KEY}`] ?? {}) as Record<string, unknown>;
  return { ...lakehouse, region: config["aws:region"] };
}

function readStackFile(stack: string, projectDir: string): Record<string, unknown> {
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
 * `Pulumi.pr-<n>.yaml` files the preview tool (`npm run preview -- up`) writes locally.
 */
export function committedStacks(projectDir: string = PROJECT_DIR): string[] {
  return listStacks(projectDir).filter((stack) => !/^pr-\d+$/.test(stack));
}

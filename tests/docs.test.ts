import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { PROJECT_DIR } from "../config/load";
import { lakehousePolicyPack } from "../offline/policy-evaluation";
import { parsePolicyConfig, reconcilePolicyConfig } from "../offline/policy-config";
import { SUPPORTED_AWS_SETTINGS } from "../config/aws-settings";
import { lakehouseConfigSchema, parseLakehouseConfig, StackConfigError } from "../config/stack-config";
import { POLICY_PACK_ARGS } from "../policy/pack";
import { relativeLinkTargets, tableUnder } from "./helpers/markdown";

/** The READMEs against the code they describe: defaults, policy names and counts, links. */

const read = (file: string) => fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
const README = read("README.md");
const POLICY_README = read("policy/README.md");

/** The leaf keys of a zod object schema (`storage.forceDestroy`), through defaults, optionals and refinements. */
function schemaLeafKeys(schema: z.ZodTypeAny, prefix = ""): string[] {
  let inner = schema;
  for (;;) {
    if (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) {
      inner = inner._def.innerType;
    } else if (inner instanceof z.ZodEffects) {
      inner = inner._def.schema;
    } else {
      break;
    }
  }
  if (!(inner instanceof z.ZodObject)) {
    return [prefix];
  }
  return Object.entries(inner.shape as Record<string, z.ZodTypeAny>).flatMap(([key, child]) =>
    schemaLeafKeys(child, prefix === "" ? key : `${prefix}.${key}`),
  );
}

const REQUIRED = Symbol("required");

/**
 * A default as the README writes it, read back into the value the code holds. Each format is listed
 * here; anything else fails the test rather than being guessed at.
 */
function readmeDefault(cell: string, key: string): unknown {
  if (cell === "(required)") {
    return REQUIRED;
  }
  if (cell === "none") {
    return undefined; // no default: the key is absent unless set
  }
  const gib = /^(\d+) GiB$/.exec(cell);
  if (gib !== null) {
    return Number(gib[1]) * 1024 ** 3;
  }
  if (/^\d+(\.\d+)?$/.test(cell)) {
    return Number(cell);
  }
  const code = /^`([^`]+)`$/.exec(cell)?.[1];
  if (code !== undefined) {
    const literals: Record<string, unknown> = { true: true, false: false, "[]": [], "{}": {} };
    return code in literals ? literals[code] : code;
  }
  throw new Error(`[${key}] README default ${JSON.stringify(cell)} is in no format this test reads`);
}

/** `emr.primaryInstanceType` / `coreInstanceType` with `m7g.xlarge` / `r7g.2xlarge`: one entry per key. */
function configRows(): { key: string; cell: string }[] {
  return tableUnder(README, "## Stack configuration").flatMap((row) => {
    const keys = row.key.split(" / ").map((k) => /^`([\w.]+)`$/.exec(k)?.[1]);
    if (keys.some((k) => k === undefined)) {
      throw new Error(`unreadable key cell ${JSON.stringify(row.key)}`);
    }
    const parent = keys[0]!.slice(0, keys[0]!.lastIndexOf(".") + 1);
    const fullKeys = keys.map((k, i) => (i === 0 || k!.includes(".") ? k! : `${parent}${k}`));
    const defaults = fullKeys.length > 1 && row.default !== "none" ? row.default.split(" / ") : [row.default];
    if (defaults.length !== 1 && defaults.length !== fullKeys.length) {
      throw new Error(`row ${row.key}: ${defaults.length} defaults for ${fullKeys.length} keys`);
    }
    return fullKeys.map((key, i) => ({ key, cell: defaults.length === 1 ? defaults[0] : defaults[i] }));
  });
}

function valueAt(config: unknown, key: string): unknown {
  return key.split(".").reduce<unknown>((value, part) => (value as Record<string, unknown>)?.[part], config);
}

describe("README.md and policy/README.md against the code", () => {
  describe("README.md: Stack configuration", () => {
    const minimal = { environment: "dev", region: "eu-west-1" };
    const defaults = parseLakehouseConfig(minimal);

    it("lists every configuration key once (the aws: settings have their own table)", () => {
      const keys = configRows().map((row) => row.key);
      expect(new Set(keys).size).to.equal(keys.length);
      expect([...keys].sort()).to.deep.equal(
        schemaLeafKeys(lakehouseConfigSchema)
          .filter((key) => key !== "region" && !key.startsWith("aws."))
          .sort(),
      );
      expect(README).to.contain("plus the `aws:` settings");
    });

    it("lists exactly the aws: settings the stack accepts, in the schema's order", () => {
      const rows = tableUnder(README, "### AWS settings (`aws:`)");
      expect(rows.map((row) => row.setting)).to.deep.equal(SUPPORTED_AWS_SETTINGS.map((s) => `\`aws:${s}\``));
    });

    it("gives each key the default parseLakehouseConfig fills in", () => {
      const mismatches = configRows().flatMap(({ key, cell }) => {
        const documented = readmeDefault(cell, key);
        if (documented === REQUIRED) {
          try {
            parseLakehouseConfig(Object.fromEntries(Object.entries(minimal).filter(([k]) => k !== key)));
          } catch (error) {
            const problems = (error as StackConfigError).problems;
            return problems.includes(`[lakehouse.${key}] Required`) ? [] : [`${key}: ${problems.join("; ")}`];
          }
          return [`${key}: documented as required, but a config without it is accepted`];
        }
        const actual = valueAt(defaults, key);
        return JSON.stringify(actual) === JSON.stringify(documented) && typeof actual === typeof documented
          ? []
          : [`${key}: README ${cell}, code ${JSON.stringify(actual)}`];
      });
      expect(mismatches).to.deep.equal([]);
    });
  });

  describe("policy counts and names", () => {
    const policies = POLICY_PACK_ARGS.policies;
    const levels = policies.map((p) => p.enforcementLevel ?? POLICY_PACK_ARGS.enforcementLevel);

    it("README.md's and policy/README.md's counts of mandatory policies are the pack's", () => {
      expect(levels.every((level) => level === "mandatory")).to.equal(true);
      expect([...README.matchAll(/(\d+) mandatory policies/g)].map((m) => Number(m[1]))).to.deep.equal([
        policies.length,
      ]);
      expect(
        [...POLICY_README.matchAll(/(\d+) policies,\s+all \*\*mandatory\*\*/g)].map((m) => Number(m[1])),
      ).to.deep.equal([policies.length]);
    });

    it("policy/README.md's policy table lists the pack's policies in order, with kind and config knobs", () => {
      const rows = tableUnder(POLICY_README, "## The policies");
      expect(rows.map((row) => [row.policy, row.kind, row.config])).to.deep.equal(
        policies.map((policy) => [
          `\`${policy.name}\``,
          "validateStack" in policy ? "stack" : "resource",
          Object.keys(policy.configSchema?.properties ?? {})
            .map((knob) => `\`${knob}\``)
            .join(", "),
        ]),
      );
    });
  });

  describe("policy/README.md: config knobs", () => {
    const knobs = POLICY_PACK_ARGS.policies.flatMap((policy) =>
      Object.entries(policy.configSchema?.properties ?? {}).map(([knob, schema]) => ({
        policy: policy.name,
        knob,
        schema: schema as { default: unknown; description: string },
      })),
    );

    /** A knob's default as written: its JSON in a code span, a byte count optionally followed by "(N TiB)". */
    function knobDefault(cell: string): unknown {
      const match = /^`([^`]+)`(?: \((\d+) TiB\))?$/.exec(cell);
      if (match === null) {
        throw new Error(`knob default ${JSON.stringify(cell)} is in no format this test reads`);
      }
      const value = JSON.parse(match[1]) as unknown;
      if (match[2] !== undefined && value !== Number(match[2]) * 1024 ** 4) {
        throw new Error(`knob default ${cell}: ${match[2]} TiB is not ${match[1]} bytes`);
      }
      return value;
    }

    it("lists every knob with its schema's default and description", () => {
      const rows = tableUnder(POLICY_README, "### Config knobs");
      expect(
        rows.map((row) => [row.policy, row.knob, knobDefault(row.default), row["what it sets"]]),
      ).to.deep.equal(
        knobs.map(({ policy, knob, schema }) => [
          `\`${policy}\``,
          `\`${knob}\``,
          schema.default,
          schema.description,
        ]),
      );
    });

    it("shows an example config the offline check accepts, with values other than the defaults", () => {
      const section = POLICY_README.slice(POLICY_README.indexOf("### Config knobs"));
      const example = /```json\n([\s\S]*?)```/.exec(section)![1];
      // Throws, naming the policy and knob, when the example is not a valid config of this pack.
      reconcilePolicyConfig(lakehousePolicyPack(), parsePolicyConfig(example));
      const defaultLevel = (name: string) =>
        POLICY_PACK_ARGS.policies.find((p) => p.name === name)?.enforcementLevel ??
        POLICY_PACK_ARGS.enforcementLevel;
      const defaultOf = (policy: string, knob: string) =>
        knobs.find((k) => k.policy === policy && k.knob === knob)?.schema.default;
      const given = JSON.parse(example) as Record<string, string | Record<string, unknown>>;
      const sameAsDefault = Object.entries(given).flatMap(([policy, value]) =>
        typeof value === "string"
          ? value === defaultLevel(policy)
            ? [policy]
            : []
          : Object.entries(value)
              .filter(([knob, v]) => JSON.stringify(v) === JSON.stringify(defaultOf(policy, knob)))
              .map(([knob]) => `${policy}.${knob}`),
      );
      expect(Object.keys(given)).to.deep.equal([
        "glue-supported-version",
        "athena-workgroup-bytes-scanned-cutoff",
        "sfn-xray-tracing",
      ]);
      expect(sameAsDefault).to.deep.equal([]);
    });
  });

  it("has every relative link in README.md (and the docs this project keeps) pointing at a file", () => {
    const docs = ["README.md", "policy/README.md", "automation/README.md", "docs/security-baseline.md"];
    const broken = docs.flatMap((doc) =>
      relativeLinkTargets(read(doc))
        .filter(
          (target) => !fs.existsSync(path.resolve(PROJECT_DIR, path.dirname(doc), target.split("#")[0])),
        )
        .map((target) => `${doc} -> ${target}`),
    );
    expect(broken).to.deep.equal([]);
    expect(relativeLinkTargets(README).length).to.be.greaterThan(5);
  });
});

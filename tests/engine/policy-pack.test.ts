import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { createLakehouseTables } from "../../components/iceberg-table/lakehouse-tables";
import { lakehousePolicyPack } from "../../offline/policy-evaluation";
import { parsePolicyConfig, reconcilePolicyConfig } from "../../offline/policy-config";
import { analyzeGraph } from "../../offline/policy-runtime";
import { captureResourceGraph } from "../../offline/resource-graph";
import { LAKEHOUSE_TABLES, RAW_ORDERS } from "../../tables/seed-tables";
import { EngineEventRecorder } from "./helpers/engine-events";
import { createEngineSandbox, EngineSandbox, inlineStack } from "./helpers/engine-sandbox";
import { writePolicyPackDriver } from "./helpers/policy-pack-driver";

/*
 * The policy pack run by the real engine (`pulumi preview --policy-pack <driver>`) on a program of
 * dynamic IcebergTable resources that breaks the table rules, against the offline runtime's verdict on
 * the same program's graph (captured under mocks). No AWS call is made: preview runs the providers'
 * check and diff only.
 */

const PROJECT = "lakehouse-policy";
const REGION = "eu-west-1";

/**
 * Every declared table, plus one inside raw_orders' folder when `breakRules`, all set to drop their
 * data then; otherwise each in its own folder, retaining its data.
 */
function tables(breakRules: boolean): () => void {
  const shadow = { ...RAW_ORDERS, name: "raw_orders_shadow", prefix: `${RAW_ORDERS.prefix}shadow/` };
  // Without an AWS provider (none can run here) the stack's environment is unknown, so the pack holds it
  // to prod's rules: the compliant program protects its tables as prod must.
  return () =>
    createLakehouseTables(
      "lakehouse",
      {
        tables: breakRules ? [...LAKEHOUSE_TABLES, shadow] : LAKEHOUSE_TABLES,
        databaseName: "lakehouse_policy",
        dataBucketName: "lakehouse-policy-data",
        workgroupName: "lakehouse-policy",
        region: REGION,
        deletionPolicy: breakRules ? "drop" : "retain",
        stateful: { protect: !breakRules, retainOnDelete: !breakRules },
      },
      {},
    );
}

interface Verdict {
  readonly level: string;
  readonly policy: string;
  readonly urn?: string;
  readonly message: string;
}

/**
 * `<level> <policy> <resource name or (stack)>: <message>`, sorted. The engine ends each message with a
 * newline and attributes a stack policy's violation to the stack resource; the offline runtime reports
 * it without a resource.
 */
function verdicts(list: readonly Verdict[]): string[] {
  return list
    .map((v) => {
      const stackLevel = v.urn === undefined || v.urn === "" || v.urn.includes("::pulumi:pulumi:Stack::");
      const where = stackLevel ? "(stack)" : v.urn!.split("::").at(-1);
      return `${v.level} ${v.policy} ${where}: ${v.message.replace(/\n$/, "")}`;
    })
    .sort();
}

describe("the policy pack through the real engine's --policy-pack, held to the offline check", function () {
  this.timeout(300000);
  let sandbox: EngineSandbox;
  let driver: string;

  before(async () => {
    sandbox = await createEngineSandbox();
    driver = writePolicyPackDriver(sandbox);
  });
  after(() => sandbox?.remove());

  /** The engine's preview with the pack (and a policy config file), and the offline check of the same program. */
  async function bothVerdicts(stackName: string, program: () => void, config: Record<string, unknown> = {}) {
    const configFile = path.join(sandbox.root, `${stackName}-policy-config.json`);
    const configText = JSON.stringify(config);
    fs.writeFileSync(configFile, configText);
    const stack = await inlineStack(sandbox, PROJECT, stackName, async () => program());
    const events = new EngineEventRecorder();
    const outcome = await stack
      .preview({
        onEvent: events.onEvent,
        color: "never",
        policyPacks: [driver],
        policyPackConfigs: [configFile],
      })
      .then(
        () => "passed",
        (e: Error) => (/Command failed with exit code 1/.test(e.message) ? "failed" : e.message),
      );
    const engine = events.events.flatMap((e) => (e.policyEvent === undefined ? [] : [e.policyEvent]));
    const pack = lakehousePolicyPack();
    const graph = await captureResourceGraph({ project: PROJECT, stack: stackName, region: REGION }, program);
    const offline = await analyzeGraph(
      pack,
      reconcilePolicyConfig(pack, parsePolicyConfig(configText)),
      graph,
    );
    return {
      outcome,
      engine: verdicts(
        engine.map((p) => ({
          level: p.enforcementLevel,
          policy: p.policyName,
          urn: p.resourceUrn,
          message: p.message,
        })),
      ),
      offline: verdicts(
        offline.diagnostics.map((d) => ({
          level: d.enforcementLevel,
          policy: d.policyName,
          urn: d.urn,
          message: d.message,
        })),
      ),
    };
  }

  it("the table rules fail the preview with exactly the violations the offline check reports", async () => {
    const { outcome, engine, offline } = await bothVerdicts("breaks-rules", tables(true));
    expect(outcome).to.equal("failed");
    expect(engine).to.deep.equal(offline);
    const names = [...LAKEHOUSE_TABLES.map((t) => t.name), "raw_orders_shadow"].sort();
    const perTable = (policy: string) => names.map((name) => `mandatory ${policy} lakehouse-${name}-table`);
    expect(engine.map((v) => v.split(":")[0])).to.deep.equal([
      // no provider to carry the region a table names
      ...perTable("aws-provider-single-target"),
      "mandatory iceberg-table-own-location lakehouse-raw_orders_shadow-table",
      ...perTable("iceberg-table-retains-data"),
      // an unknown environment is held to prod's protection rule, not skipped
      ...perTable("prod-stateful-resources-protected"),
      "mandatory stack-environment-tag (stack)",
      // the data bucket is not created by this program
      ...perTable("stack-owned-references"),
    ]);
  });

  it("tables that keep their data in their own folders pass, as offline, under the same policy config", async () => {
    // No AWS provider can run here, so no Environment tag and no provider region: those two rules are
    // made advisory, on both sides; the data bucket is allow-listed as made outside this program.
    const { outcome, engine, offline } = await bothVerdicts("keeps-rules", tables(false), {
      "stack-environment-tag": "advisory",
      "aws-provider-single-target": "advisory",
      "stack-owned-references": { externalBuckets: ["lakehouse-policy-data"] },
    });
    expect(outcome).to.equal("passed");
    expect(engine).to.deep.equal(offline);
    expect(engine.map((v) => v.split(":")[0])).to.deep.equal([
      ...[...LAKEHOUSE_TABLES.map((t) => t.name)]
        .sort()
        .map((name) => `advisory aws-provider-single-target lakehouse-${name}-table`),
      "advisory stack-environment-tag (stack)",
    ]);
  });
});

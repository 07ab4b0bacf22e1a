import { expect } from "chai";
import { tablesMaintainedBy } from "../components/table-maintainers";
import { rollbackTables } from "../components/job-definitions";
import { optimizerConfiguration } from "../components/managed-table-maintenance";
import { readStackConfigFile } from "../config/load";
import { parseLakehouseConfig } from "../config/stack-config";
import { ResourceRecord } from "../offline/resource-graph";
import { captureStackGraph } from "../offline/stack-graph";
import { LAKEHOUSE_TABLES } from "../tables/seed-tables";
import { problemsOf } from "./helpers/config-problems";
import { jsonInput, ofType, resource } from "./helpers/graph";

const OPTIMIZER = "aws:glue/catalogTableOptimizer:CatalogTableOptimizer";
const ROLE_ARN = "arn:aws:iam::123456789012:role/lakehouse-managed-maintenance-role";
const ALL_TABLES = LAKEHOUSE_TABLES.map((t) => t.name).sort();

interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: string | string[];
}
const statements = (graph: readonly ResourceRecord[], name: string) =>
  jsonInput<{ Statement: Statement[] }>(resource(graph, "aws:iam/rolePolicy:RolePolicy", name), "policy")
    .Statement;
const sid = (all: Statement[], id: string) => all.find((s) => s.Sid === id)!;
const jobArguments = (graph: readonly ResourceRecord[], job: string) =>
  resource(graph, "aws:glue/job:Job", job).inputs.defaultArguments as Record<string, string>;

describe("table maintenance: job or managed (maintenance.tables)", () => {
  const dev = readStackConfigFile("dev");

  describe("configuration", () => {
    const minimal = { environment: "dev", region: "eu-west-1" };

    it("refuses a table that is not declared, naming the declared ones", () => {
      expect(problemsOf({ ...minimal, maintenance: { tables: { raw_ordrs: "managed" } } })).to.deep.equal([
        `[lakehouse.maintenance.tables.raw_ordrs] is not a declared table; declared: ${LAKEHOUSE_TABLES.map((t) => t.name).join(", ")}`,
      ]);
    });

    it("refuses a maintainer other than job or managed", () => {
      expect(problemsOf({ ...minimal, maintenance: { tables: { raw_orders: "glue" } } })).to.deep.equal([
        "[lakehouse.maintenance.tables.raw_orders] Invalid enum value. Expected 'job' | 'managed', received 'glue'",
      ]);
    });

    it("keeps the orphan-age floor whoever maintains the tables", () => {
      expect(
        problemsOf({
          ...minimal,
          maintenance: { orphanFileMinAgeDays: 2, tables: { raw_orders: "managed" } },
        }),
      ).to.deep.equal([
        "[lakehouse.maintenance.orphanFileMinAgeDays] must be >= 3: younger orphan files can belong to writes in flight",
      ]);
    });

    it("splits the declared tables between the two, the job keeping every table not named", () => {
      const config = parseLakehouseConfig({ ...minimal, maintenance: { tables: { raw_orders: "managed" } } });
      expect(tablesMaintainedBy(config, "managed")).to.deep.equal(["raw_orders"]);
      expect(tablesMaintainedBy(config, "job")).to.deep.equal(ALL_TABLES.filter((t) => t !== "raw_orders"));
    });
  });

  describe("by default (dev): the job maintains every table", () => {
    let graph: ResourceRecord[];
    before(async () => {
      graph = await captureStackGraph("dev", dev);
    });

    it("creates no optimizer and starts the job with every table named", () => {
      expect(ofType(graph, OPTIMIZER)).to.deep.equal([]);
      expect(jobArguments(graph, "job-maintenance")["--tables"]).to.equal(ALL_TABLES.join(","));
    });
  });

  describe("two managed tables", () => {
    const managed = ["raw_customers", "raw_orders"];
    let graph: ResourceRecord[];
    before(async () => {
      const config = parseLakehouseConfig({
        ...dev,
        maintenance: { ...dev.maintenance, tables: { raw_orders: "managed", raw_customers: "managed" } },
      });
      graph = await captureStackGraph("dev", config);
    });

    it("gives each managed table a compaction, a retention and an orphan file optimizer with dev's floors", () => {
      const optimizers = ofType(graph, OPTIMIZER).map((r) => [r.name, r.inputs]);
      const expected = managed.flatMap((table) =>
        [
          ["compaction", { compactionConfiguration: { icebergConfiguration: { strategy: "binpack" } } }],
          [
            "retention",
            {
              retentionConfiguration: {
                icebergConfiguration: {
                  snapshotRetentionPeriodInDays: 3,
                  numberOfSnapshotsToRetain: 5,
                  cleanExpiredFiles: true,
                },
              },
            },
          ],
          [
            "orphan_file_deletion",
            {
              orphanFileDeletionConfiguration: {
                icebergConfiguration: { orphanFileRetentionPeriodInDays: 3 },
              },
            },
          ],
        ].map(([type, configuration]) => [
          `lakehouse-managed-maintenance-${table.replace(/_/g, "-")}-${(type as string).replace(/_/g, "-")}`,
          {
            catalogId: "123456789012",
            databaseName: "ecommerce_lakehouse_dev",
            tableName: table,
            type,
            configuration: { roleArn: ROLE_ARN, enabled: true, ...(configuration as object) },
          },
        ]),
      );
      expect(optimizers).to.have.deep.members(expected);
      expect(optimizers).to.have.length(6);
    });

    it("creates each optimizer only once the tables exist", () => {
      // A component in dependsOn reaches the engine as its children: the tables' dynamic resources.
      const tables = ofType(graph, "pulumi-nodejs:dynamic/lakehouse:IcebergTable").map((t) => t.urn);
      const [role] = ofType(graph, "aws:iam/role:Role").filter(
        (r) => r.name === "lakehouse-managed-maintenance-role",
      );
      for (const optimizer of ofType(graph, OPTIMIZER)) {
        expect(optimizer.dependencies, optimizer.name).to.include.members([role.urn, ...tables]);
      }
    });

    it("gives the optimizers' role exactly the managed tables, the key and the optimizer log groups", () => {
      const role = statements(graph, "lakehouse-managed-maintenance-access");
      expect(sid(role, "CommitCatalogTables").Resource).to.deep.equal([
        "arn:aws:glue:eu-west-1:123456789012:catalog",
        "arn:aws:glue:eu-west-1:123456789012:database/ecommerce_lakehouse_dev",
        ...managed.map((t) => `arn:aws:glue:eu-west-1:123456789012:table/ecommerce_lakehouse_dev/${t}`),
      ]);
      expect(sid(role, "WriteTableData").Resource).to.deep.equal([
        "arn:aws:s3:::lakehouse-data/raw/customers/*",
        "arn:aws:s3:::lakehouse-data/raw/orders/*",
      ]);
      expect(sid(role, "WriteOptimizerLogs").Resource).to.deep.equal(
        ["iceberg-compaction", "iceberg-retention", "iceberg-orphan-file-deletion"].map(
          (group) => `arn:aws:logs:eu-west-1:123456789012:log-group:/aws-glue/${group}/logs:*`,
        ),
      );
      expect(
        jsonInput(
          resource(graph, "aws:iam/role:Role", "lakehouse-managed-maintenance-role"),
          "assumeRolePolicy",
        ),
      ).to.have.nested.property("Statement[0].Principal.Service", "glue.amazonaws.com");
    });

    it("leaves those tables out of the maintenance job's --tables; its role commits to them only for rollback", () => {
      const byJob = ALL_TABLES.filter((t) => !managed.includes(t));
      expect(jobArguments(graph, "job-maintenance")["--tables"]).to.equal(byJob.join(","));
      const commits = sid(statements(graph, "job-maintenance-access"), "CommitCatalogTables")
        .Resource as string[];
      // The managed tables a pipeline run publishes stay in its role: its rollback mode restores them.
      expect(commits.slice(2).map((arn) => arn.split("/").at(-1))).to.deep.equal(
        [...new Set([...byJob, ...rollbackTables()])].sort(),
      );
      expect(rollbackTables()).to.include.members(managed);
    });
  });

  describe("every table managed", () => {
    let graph: ResourceRecord[];
    before(async () => {
      const tables = Object.fromEntries(ALL_TABLES.map((t) => [t, "managed"]));
      graph = await captureStackGraph(
        "dev",
        parseLakehouseConfig({ ...dev, maintenance: { ...dev.maintenance, tables } }),
      );
    });

    it("has no maintenance job, and the pipeline ends after gold", () => {
      expect(ofType(graph, "aws:glue/job:Job").map((j) => j.name)).to.have.members([
        "job-bronze-ingest",
        "job-silver-customers",
        "job-silver-orders",
        "job-gold-daily-metrics",
      ]);
      const definition = jsonInput<{ Comment: string; States: Record<string, { Next?: string }> }>(
        ofType(graph, "aws:sfn/stateMachine:StateMachine")[0],
        "definition",
      );
      expect(Object.keys(definition.States)).to.not.include("Maintenance");
      expect([definition.Comment, definition.States.Gold.Next]).to.deep.equal([
        "Iceberg lakehouse daily run: bronze -> silver orders -> silver customers -> gold",
        "Succeeded",
      ]);
      expect(ofType(graph, OPTIMIZER)).to.have.length(3 * ALL_TABLES.length);
    });
  });

  it("sets every safety-relevant optimizer value from the floors it is given", () => {
    const floors = { snapshotRetentionDays: 9, snapshotsToKeep: 4, orphanFileMinAgeDays: 6 };
    expect([
      optimizerConfiguration("retention", floors),
      optimizerConfiguration("orphan_file_deletion", floors),
    ]).to.deep.equal([
      {
        retentionConfiguration: {
          icebergConfiguration: {
            snapshotRetentionPeriodInDays: 9,
            numberOfSnapshotsToRetain: 4,
            cleanExpiredFiles: true,
          },
        },
      },
      { orphanFileDeletionConfiguration: { icebergConfiguration: { orphanFileRetentionPeriodInDays: 6 } } },
    ]);
  });

  it("compacts a table that declares a sort order with Glue's sort strategy, as the job does", () => {
    const floors = { snapshotRetentionDays: 9, snapshotsToKeep: 4, orphanFileMinAgeDays: 6 };
    expect([
      optimizerConfiguration("compaction", floors, true),
      optimizerConfiguration("compaction", floors),
    ]).to.deep.equal([
      { compactionConfiguration: { icebergConfiguration: { strategy: "sort" } } },
      { compactionConfiguration: { icebergConfiguration: { strategy: "binpack" } } },
    ]);
  });
});

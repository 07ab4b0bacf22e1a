import { expect } from "chai";
import { createLakehouse, Lakehouse } from "../components/lakehouse";
import { PROJECT_NAME, readStackConfigFile } from "../config/load";
import { providerUrnOf } from "../offline/policy-runtime-resources";
import { captureResourceGraph, ResourceRecord } from "../offline/resource-graph";
import { captureWithPulumiConfig, inventory, jsonInput, ofType, resolved, stackGraph } from "./helpers/graph";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
}
const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Identity policies (role policies) and resource policies (bucket policies) the stack writes. */
function permissionStatements(graph: readonly ResourceRecord[]): { source: string; statement: Statement }[] {
  const documents = [
    ...ofType(graph, "aws:iam/rolePolicy:RolePolicy"),
    ...ofType(graph, "aws:s3/bucketPolicy:BucketPolicy"),
  ];
  return documents.flatMap((r) =>
    jsonInput<{ Statement: Statement[] }>(r, "policy").Statement.map((statement) => ({
      source: r.name,
      statement,
    })),
  );
}

const COMMON_DEV_PROD = {
  "aws:athena/namedQuery:NamedQuery": 7,
  "aws:athena/workgroup:Workgroup": 1,
  "aws:cloudtrail/trail:Trail": 1,
  "aws:cloudwatch/logGroup:LogGroup": 1,
  "aws:emr/blockPublicAccessConfiguration:BlockPublicAccessConfiguration": 1,
  "aws:glue/catalogDatabase:CatalogDatabase": 1,
  "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings": 1,
  "aws:glue/job:Job": 5,
  "aws:glue/securityConfiguration:SecurityConfiguration": 1,
  "aws:kms/alias:Alias": 1,
  "aws:kms/key:Key": 1,
  "aws:s3/bucket:Bucket": 4,
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 4,
  "aws:s3/bucketLogging:BucketLogging": 3,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 4,
  "aws:s3/bucketPolicy:BucketPolicy": 4,
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 4,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 4,
  "aws:s3/bucketVersioning:BucketVersioning": 4,
  "aws:scheduler/schedule:Schedule": 1,
  "aws:sfn/stateMachine:StateMachine": 1,
  "aws:sns/topic:Topic": 1,
  "lakehouse:account:AccountSettings": 1,
  "lakehouse:audit:AuditTrail": 1,
  "lakehouse:catalog:GlueCatalog": 1,
  "lakehouse:catalog:IcebergTable": 11,
  "lakehouse:compute:GlueEtlJob": 5,
  "lakehouse:compute:JobScripts": 1,
  "lakehouse:index:Lakehouse": 1,
  "lakehouse:orchestration:LakehousePipeline": 1,
  "lakehouse:query:AthenaWorkgroup": 1,
  "lakehouse:security:LakehouseKey": 1,
  "lakehouse:storage:LakehouseBucket": 4,
  "pulumi-nodejs:dynamic/lakehouse:IcebergTable": 11,
  "pulumi-nodejs:dynamic/lakehouse:JobScriptUpload": 1,
  "pulumi:providers:aws": 1,
};

const EXPECTED_INVENTORY: Record<string, Record<string, number>> = {
  dev: { ...COMMON_DEV_PROD, "aws:iam/role:Role": 7, "aws:iam/rolePolicy:RolePolicy": 7 },
  prod: {
    ...COMMON_DEV_PROD,
    "aws:ec2/securityGroup:SecurityGroup": 3,
    "aws:emr/cluster:Cluster": 1,
    "aws:emr/managedScalingPolicy:ManagedScalingPolicy": 1,
    "aws:emr/securityConfiguration:SecurityConfiguration": 1,
    "aws:iam/instanceProfile:InstanceProfile": 1,
    "aws:iam/role:Role": 9,
    "aws:iam/rolePolicy:RolePolicy": 9,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
    "awsx:ec2:Vpc": 1,
    "lakehouse:compute:EmrIcebergCluster": 1,
    "lakehouse:network:LakehouseNetwork": 1,
  },
};

for (const stack of ["dev", "prod"]) {
  describe(`stack ${stack}`, () => {
    it("has exactly the expected resource types and counts", async () => {
      const sorted = (o: Record<string, number>) =>
        Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
      expect(inventory(await stackGraph(stack))).to.deep.equal(sorted(EXPECTED_INVENTORY[stack]));
    });

    it("gives every bucket encryption, versioning, public access block, ownership controls and a TLS-only policy", async () => {
      const graph = await stackGraph(stack);
      const configOf = (type: string, bucket: string) =>
        ofType(graph, type).filter((r) => r.inputs.bucket === bucket);
      for (const bucket of ofType(graph, "aws:s3/bucket:Bucket")) {
        const id = bucket.name;
        const [encryption] = configOf(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          id,
        );
        expect(encryption.inputs.rules, id).to.deep.equal([
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/lakehouse-key-key-id",
            },
            bucketKeyEnabled: true,
          },
        ]);
        expect(
          configOf("aws:s3/bucketVersioning:BucketVersioning", id)[0].inputs.versioningConfiguration,
          id,
        ).to.deep.equal({ status: "Enabled" });
        const [block] = configOf("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", id);
        expect(
          [
            block.inputs.blockPublicAcls,
            block.inputs.blockPublicPolicy,
            block.inputs.ignorePublicAcls,
            block.inputs.restrictPublicBuckets,
          ],
          id,
        ).to.deep.equal([true, true, true, true]);
        expect(
          configOf("aws:s3/bucketOwnershipControls:BucketOwnershipControls", id)[0].inputs.rule,
          id,
        ).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
        const policy = jsonInput<{ Statement: { Sid?: string; Effect: string; Condition?: unknown }[] }>(
          configOf("aws:s3/bucketPolicy:BucketPolicy", id)[0],
          "policy",
        );
        expect(
          policy.Statement.filter((s) => s.Effect === "Deny").map((s) => s.Condition),
          id,
        ).to.deep.equal([
          { Bool: { "aws:SecureTransport": "false" } },
          { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        ]);
        expect(
          configOf("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", id),
          id,
        ).to.have.length(1);
      }
    });

    it("logs every bucket's access to the access-log bucket (except that bucket itself)", async () => {
      const graph = await stackGraph(stack);
      const logged = ofType(graph, "aws:s3/bucketLogging:BucketLogging").map((r) => [
        r.inputs.bucket,
        r.inputs.targetBucket,
      ]);
      expect(logged.sort()).to.deep.equal([
        ["lakehouse-artifacts", "lakehouse-access-logs"],
        ["lakehouse-audit-logs", "lakehouse-access-logs"],
        ["lakehouse-data", "lakehouse-access-logs"],
      ]);
    });

    it("allows no '*' or 'service:*' action in any policy statement that grants", async () => {
      const wide = permissionStatements(await stackGraph(stack))
        .filter(({ statement }) => statement.Effect === "Allow")
        .flatMap(({ source, statement }) =>
          list(statement.Action)
            .filter((a) => a === "*" || a.endsWith(":*"))
            .map((a) => `${source}: ${a}`),
        );
      expect(wide).to.deep.equal([]);
    });

    it("never grants S3, Glue, KMS or Athena actions on Resource '*'", async () => {
      const scoped = /^(s3|glue|kms|athena):/;
      const unscoped = permissionStatements(await stackGraph(stack))
        .filter(({ statement }) => statement.Effect === "Allow" && list(statement.Resource).includes("*"))
        .flatMap(({ source, statement }) =>
          list(statement.Action)
            .filter((a) => scoped.test(a))
            .map((a) => `${source}: ${a}`),
        );
      expect(unscoped).to.deep.equal([]);
    });

    it("runs every Glue job from the code uploaded under one content-addressed prefix", async () => {
      const graph = await stackGraph(stack);
      const [upload] = ofType(graph, "pulumi-nodejs:dynamic/lakehouse:JobScriptUpload");
      expect(upload.inputs.contentHash).to.match(/^[0-9a-f]{64}$/);
      const base = `s3://lakehouse-artifacts/jobs/${(upload.inputs.contentHash as string).slice(0, 16)}/`;
      const jobs = ofType(graph, "aws:glue/job:Job").map((job) => [
        (job.inputs.command as { scriptLocation: string }).scriptLocation,
        (job.inputs.defaultArguments as Record<string, string>)["--extra-py-files"],
      ]);
      expect(jobs).to.have.deep.members(
        ["bronze_ingest", "silver_customers", "silver_orders", "gold_daily_metrics", "maintenance"].map(
          (key) => [`${base}${key}.py`, `${base}lakehouse_jobs.zip`],
        ),
      );
    });

    it("creates every AWS resource through the tagged provider", async () => {
      const graph = await stackGraph(stack);
      const [provider] = ofType(graph, "pulumi:providers:aws");
      // Provider configuration reaches the engine JSON-encoded.
      expect(jsonInput(provider, "defaultTags")).to.deep.equal({
        tags: { Project: PROJECT_NAME, Environment: stack, Stack: stack, ManagedBy: "pulumi" },
      });
      const untagged = graph.filter(
        (r) => r.custom && r.type.startsWith("aws:") && providerUrnOf(r) !== provider.urn,
      );
      expect(untagged.map((r) => r.name)).to.deep.equal([]);
    });
  });
}

describe("protection of stateful resources", () => {
  const stateful = [
    "aws:s3/bucket:Bucket",
    "aws:kms/key:Key",
    "aws:glue/catalogDatabase:CatalogDatabase",
    "pulumi-nodejs:dynamic/lakehouse:IcebergTable",
  ];
  const tables = (flags: string) =>
    [
      "raw_customers",
      "raw_products",
      "raw_orders",
      "curated_customers",
      "customer_counted_orders",
      "curated_orders",
      "agg_daily_metrics",
      "quarantine_records",
      "ingestion_log",
      "job_progress",
      "quality_results",
    ].map((t) => `lakehouse-${t}-table ${flags}`);
  const flags = async (stack: string) =>
    (await stackGraph(stack))
      .filter((r) => stateful.includes(r.type))
      .map((r) => `${r.name} protect=${r.protect} retain=${r.retainOnDelete}`);

  it("protects buckets, key, database and tables in prod (config protect: true), retained on delete", async () => {
    expect(await flags("prod")).to.have.members([
      "lakehouse-key protect=true retain=true",
      "lakehouse-access-logs protect=true retain=true",
      "lakehouse-data protect=true retain=true",
      "lakehouse-artifacts protect=true retain=true",
      "lakehouse-audit-logs protect=true retain=true",
      "lakehouse-catalog-database protect=true retain=true",
      ...tables("protect=true retain=true"),
    ]);
  });

  it("retains but does not protect them in dev (config protect: false)", async () => {
    expect(await flags("dev")).to.have.members([
      "lakehouse-key protect=false retain=true",
      "lakehouse-access-logs protect=false retain=true",
      "lakehouse-data protect=false retain=true",
      "lakehouse-artifacts protect=false retain=true",
      "lakehouse-audit-logs protect=false retain=true",
      "lakehouse-catalog-database protect=false retain=true",
      ...tables("protect=false retain=true"),
    ]);
  });

  it("protects nothing that is not stateful", async () => {
    const protectedOthers = (await stackGraph("prod")).filter((r) => r.protect && !stateful.includes(r.type));
    expect(protectedOthers.map((r) => r.name)).to.deep.equal([]);
  });
});

describe("stack outputs", () => {
  async function outputsOf(stack: string): Promise<Record<string, unknown>> {
    const config = readStackConfigFile(stack);
    let lakehouse: Lakehouse | undefined;
    await captureResourceGraph({ project: PROJECT_NAME, stack, region: config.region }, () => {
      lakehouse = createLakehouse(config);
    });
    const outputs = lakehouse!.outputs;
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(outputs)) {
      values[key] =
        typeof value === "object" && value !== null && "apply" in value ? await resolved(value) : value;
    }
    return values;
  }

  it("exports buckets, database, workgroup, jobs, state machine, alerts, trail and EMR cluster in prod", async () => {
    const outputs = await outputsOf("prod");
    const { exampleQueries, ...rest } = outputs;
    expect(rest).to.deep.equal({
      dataBucketName: "lakehouse-data",
      artifactsBucketName: "lakehouse-artifacts",
      accessLogBucketName: "lakehouse-access-logs",
      kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lakehouse-key-key-id",
      databaseName: "ecommerce_lakehouse",
      workgroupName: "lakehouse-athena",
      glueJobNames: {
        bronze_ingest: "job-bronze-ingest",
        silver_customers: "job-silver-customers",
        silver_orders: "job-silver-orders",
        gold_daily_metrics: "job-gold-daily-metrics",
        maintenance: "job-maintenance",
      },
      stateMachineArn: "arn:aws:states:eu-west-1:123456789012:stateMachine:lakehouse-pipeline",
      alertTopicArn: "arn:aws:sns:eu-west-1:123456789012:lakehouse-pipeline-alerts",
      auditTrailArn: "arn:aws:cloudtrail:eu-west-1:123456789012:trail/iceberg-lakehouse-prod",
      emrClusterId: "j-LAKEHOUSEEMR",
    });
    expect(Object.keys(exampleQueries as object)).to.deep.equal([
      "daily-revenue",
      "quality-results-latest-run",
      "revenue-by-customer-segment",
      "snapshot-history-orders",
      "table-files-orders",
      "time-travel-orders-by-snapshot",
      "time-travel-orders-by-timestamp",
    ]);
  });

  it("has no EMR cluster id in dev, where EMR is off", async () => {
    const outputs = await outputsOf("dev");
    expect(outputs).not.to.have.property("emrClusterId");
    expect(outputs.databaseName).to.equal("ecommerce_lakehouse_dev");
  });
});

describe("stack variants", () => {
  it("names what it creates after the stack name it is given, not the stack it runs in", async () => {
    const config = readStackConfigFile("dev");
    const graph = await captureResourceGraph(
      { project: PROJECT_NAME, stack: "dev", region: config.region },
      () => {
        new Lakehouse("lakehouse", { stackName: "pr-42", config });
      },
    );
    const [provider] = ofType(graph, "pulumi:providers:aws");
    expect(jsonInput(provider, "defaultTags")).to.deep.equal({
      tags: { Project: PROJECT_NAME, Environment: "dev", Stack: "pr-42", ManagedBy: "pulumi" },
    });
    expect(ofType(graph, "aws:kms/alias:Alias").map((a) => a.inputs.name)).to.deep.equal([
      `alias/${PROJECT_NAME}-pr-42`,
    ]);
    expect(ofType(graph, "aws:cloudtrail/trail:Trail").map((t) => t.inputs.name)).to.deep.equal([
      `${PROJECT_NAME}-pr-42`,
    ]);
  });

  it("creates no trail when an organization trail already records the data events", async () => {
    const config = { ...readStackConfigFile("dev"), audit: { trail: "organization" as const } };
    const graph = await captureResourceGraph(
      { project: PROJECT_NAME, stack: "org", region: config.region },
      () => createLakehouse(config),
    );
    expect(ofType(graph, "aws:cloudtrail/trail:Trail")).to.deep.equal([]);
    expect(ofType(graph, "aws:s3/bucket:Bucket").map((b) => b.name)).to.deep.equal([
      "lakehouse-access-logs",
      "lakehouse-data",
      "lakehouse-artifacts",
    ]);
  });

  it("builds the stack from Pulumi config the way index.ts runs under pulumi up", async () => {
    const { graph, error } = await captureWithPulumiConfig(
      "prod",
      {
        "aws:region": "eu-west-1",
        // What prod needs to deploy (config/deployment-readiness.ts): its own account, an alert address.
        "aws:allowedAccountIds": '["210987654321"]',
        [`${PROJECT_NAME}:lakehouse`]: JSON.stringify({
          environment: "prod",
          protect: true,
          emr: { enabled: true },
          pipeline: { alertEmails: ["oncall@lakehouse.corp.internal"] },
        }),
      },
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      () => require("../index"),
    );
    expect(error).to.equal(undefined);
    expect(ofType(graph, "aws:emr/cluster:Cluster")).to.have.length(1);
    expect(ofType(graph, "aws:kms/key:Key")[0].protect).to.equal(true);
  });
});

import { expect } from "chai";
import { AwsContext } from "../components/aws-context";
import { GlueEtlJob, GlueEtlJobArgs, validateGlueEtlJobArgs } from "../components/glue-etl-job";
import { componentGraph, jsonInput, resource } from "./helpers/graph";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";
const DATA = "arn:aws:s3:::data";
const ARTIFACTS = "arn:aws:s3:::artifacts";

function jobArgs(context: AwsContext, overrides: Partial<GlueEtlJobArgs> = {}): GlueEtlJobArgs {
  return {
    context,
    description: "Silver orders",
    scriptLocation: "s3://artifacts/jobs/silver_orders.py",
    artifactsBucketName: "artifacts",
    warehouseUri: "s3://data/warehouse/",
    securityConfigurationName: "lakehouse-security",
    worker: { workerType: "G.2X", numberOfWorkers: 10, timeoutMinutes: 120, maxRetries: 1 },
    access: {
      dataBucketArn: DATA,
      artifactsBucketArn: ARTIFACTS,
      kmsKeyArn: KEY,
      catalogArn: "arn:aws:glue:eu-west-1:123456789012:catalog",
      databaseArn: "arn:aws:glue:eu-west-1:123456789012:database/lake",
      databaseName: "lake",
      readsTables: [{ name: "raw_orders", prefix: "raw/orders/" }],
      writesTables: [{ name: "curated_orders", prefix: "curated/orders/" }],
      readsPrefixes: [],
    },
    jobParameters: { "--max-bad-record-share": "0.01" },
    ...overrides,
  };
}

interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}

describe("GlueEtlJob", () => {
  const build = (overrides: Partial<GlueEtlJobArgs> = {}) =>
    componentGraph((context) => new GlueEtlJob("silver-orders", jobArgs(context, overrides)));

  it("runs Glue 5.0 with the configured workers, one run at a time, under the security configuration", async () => {
    const job = resource(await build(), "aws:glue/job:Job", "silver-orders");
    const { defaultArguments, ...rest } = job.inputs;
    expect(rest).to.deep.equal({
      description: "Silver orders",
      roleArn: "arn:aws:iam::123456789012:role/silver-orders-role",
      glueVersion: "5.0",
      command: {
        name: "glueetl",
        scriptLocation: "s3://artifacts/jobs/silver_orders.py",
        pythonVersion: "3",
      },
      workerType: "G.2X",
      numberOfWorkers: 10,
      timeout: 120,
      maxRetries: 1,
      executionProperty: { maxConcurrentRuns: 1 },
      securityConfiguration: "lakehouse-security",
    });
    expect(defaultArguments).to.deep.equal({
      "--datalake-formats": "iceberg",
      "--conf":
        "spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions" +
        " --conf spark.sql.catalog.glue_catalog=org.apache.iceberg.spark.SparkCatalog" +
        " --conf spark.sql.catalog.glue_catalog.catalog-impl=org.apache.iceberg.aws.glue.GlueCatalog" +
        " --conf spark.sql.catalog.glue_catalog.io-impl=org.apache.iceberg.aws.s3.S3FileIO" +
        " --conf spark.sql.catalog.glue_catalog.warehouse=s3://data/warehouse/" +
        " --conf spark.sql.catalog.glue_catalog.table-default.format-version=2",
      "--job-language": "python",
      "--enable-metrics": "true",
      "--enable-observability-metrics": "true",
      "--enable-continuous-cloudwatch-log": "true",
      "--enable-spark-ui": "true",
      "--spark-event-logs-path": "s3://artifacts/spark-ui/silver-orders/",
      "--TempDir": "s3://artifacts/glue-temp/silver-orders/",
      "--job-bookmark-option": "job-bookmark-disable",
      "--catalog": "glue_catalog",
      "--database": "lake",
      "--warehouse": "s3://data/warehouse/",
      "--max-bad-record-share": "0.01",
    });
  });

  it("passes extra arguments through when they touch nothing the component owns", async () => {
    const job = resource(
      await build({ extraArguments: { "--enable-auto-scaling": "true" } }),
      "aws:glue/job:Job",
      "silver-orders",
    );
    expect((job.inputs.defaultArguments as Record<string, string>)["--enable-auto-scaling"]).to.equal("true");
  });

  it("trusts only the Glue service, from this account", async () => {
    const role = resource(await build(), "aws:iam/role:Role", "silver-orders-role");
    expect(jsonInput(role, "assumeRolePolicy")).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "glue.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
  });

  it("grants only its tables' prefixes, catalog entries, the key, its scratch space and logs", async () => {
    const policy = jsonInput<{ Statement: Statement[] }>(
      resource(await build(), "aws:iam/rolePolicy:RolePolicy", "silver-orders-access"),
      "policy",
    );
    const table = (name: string) => `arn:aws:glue:eu-west-1:123456789012:table/lake/${name}`;
    expect(policy.Statement).to.deep.equal([
      {
        Sid: "ReadTableData",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion"],
        Resource: [`${DATA}/raw/orders/*`, `${DATA}/curated/orders/*`],
      },
      {
        Sid: "ListTableData",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: DATA,
        Condition: { StringLike: { "s3:prefix": ["raw/orders/*", "curated/orders/*"] } },
      },
      {
        Sid: "ReadCatalogTables",
        Effect: "Allow",
        Action: ["glue:GetDatabase", "glue:GetTable"],
        Resource: [
          "arn:aws:glue:eu-west-1:123456789012:catalog",
          "arn:aws:glue:eu-west-1:123456789012:database/lake",
          table("raw_orders"),
          table("curated_orders"),
        ],
      },
      {
        Sid: "UseLakehouseKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        Resource: KEY,
      },
      {
        Sid: "WriteTableData",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:DeleteObject"],
        Resource: [`${DATA}/curated/orders/*`],
      },
      {
        Sid: "CommitCatalogTables",
        Effect: "Allow",
        Action: "glue:UpdateTable",
        Resource: [
          "arn:aws:glue:eu-west-1:123456789012:catalog",
          "arn:aws:glue:eu-west-1:123456789012:database/lake",
          table("curated_orders"),
        ],
      },
      { Sid: "ReadJobScripts", Effect: "Allow", Action: "s3:GetObject", Resource: [`${ARTIFACTS}/jobs/*`] },
      {
        Sid: "UseScratchSpace",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: [`${ARTIFACTS}/glue-temp/silver-orders/*`, `${ARTIFACTS}/spark-ui/silver-orders/*`],
      },
      {
        Sid: "ListScratchSpace",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: ARTIFACTS,
        Condition: { StringLike: { "s3:prefix": ["glue-temp/silver-orders/*", "spark-ui/silver-orders/*"] } },
      },
      {
        Sid: "WriteGlueLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"],
        Resource: "arn:aws:logs:eu-west-1:123456789012:log-group:/aws-glue/*",
      },
      {
        Sid: "PublishGlueMetrics",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": "Glue" } },
      },
    ]);
  });

  const refused: [string, Partial<GlueEtlJobArgs>, string][] = [
    [
      "an owned argument",
      { extraArguments: { "--conf": "spark.x=y" } },
      'GlueEtlJob j: [extraArguments] "--conf" is set by a typed argument of this component; change that argument instead',
    ],
    [
      "a typed job parameter",
      { extraArguments: { "--max-bad-record-share": "0.5" } },
      'GlueEtlJob j: [extraArguments] "--max-bad-record-share" is set by a typed argument of this component; change that argument instead',
    ],
    [
      "the warehouse",
      { extraArguments: { "--warehouse": "s3://elsewhere/" } },
      'GlueEtlJob j: [extraArguments] "--warehouse" is set by a typed argument of this component; change that argument instead',
    ],
    [
      "a key that is not a Glue argument",
      { extraArguments: { "enable-metrics": "false" } },
      'GlueEtlJob j: [extraArguments] "enable-metrics" is not a Glue argument; keys look like "--name"',
    ],
  ];
  for (const [label, override, message] of refused) {
    it(`refuses ${label} in extraArguments`, async () => {
      await componentGraph((context) => {
        expect(() => validateGlueEtlJobArgs("j", jobArgs(context, override))).to.throw(message);
      });
    });
  }

  it("refuses a job parameter that would override an argument the component owns", async () => {
    await componentGraph((context) => {
      expect(() =>
        validateGlueEtlJobArgs("j", jobArgs(context, { jobParameters: { "--database": "other" } })),
      ).to.throw(
        'GlueEtlJob j: [jobParameters] "--database" is set by this component itself; job parameters are the script\'s own keys',
      );
    });
  });

  it("refuses a job that touches no table", async () => {
    await componentGraph((context) => {
      const args = jobArgs(context);
      expect(() =>
        validateGlueEtlJobArgs("j", {
          ...args,
          access: { ...args.access, readsTables: [], writesTables: [] },
        }),
      ).to.throw("GlueEtlJob j: [access] a job must read or write at least one table");
    });
  });
});

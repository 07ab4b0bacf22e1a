import { expect } from "chai";
import {
  athenaWorkgroupBytesScannedCutoff,
  athenaWorkgroupCloudWatchMetrics,
  athenaWorkgroupConfigurationEnforced,
  athenaWorkgroupResultsEncrypted,
} from "../../policy/athena";
import {
  cloudTrailKmsEncryption,
  cloudTrailLakehouseDataEvents,
  cloudTrailLogFileValidation,
  cloudTrailMultiRegion,
} from "../../policy/cloudtrail";
import { stateMachineLogging, stateMachineTracing } from "../../policy/step-functions";
import { addBucket, KEY_ARN } from "./helpers/compliant";
import { notApplicableOf, violationsOf } from "./helpers/evaluate";
import { FixtureStack } from "./helpers/fixture-stack";

function workgroup(configuration: Record<string, unknown>): FixtureStack {
  const f = new FixtureStack();
  const results = {
    outputLocation: "s3://artifacts/athena-results/",
    encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: KEY_ARN },
  };
  f.add("aws:athena/workgroup:Workgroup", "queries", {
    configuration: {
      enforceWorkgroupConfiguration: true,
      publishCloudwatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: 1073741824,
      resultConfiguration: results,
      ...configuration,
    },
  });
  return f;
}

describe("policy: Athena", () => {
  it("athena-workgroup-results-encrypted passes SSE_KMS with a key, reports SSE_S3", async () => {
    expect(await violationsOf(athenaWorkgroupResultsEncrypted, workgroup({}).records)).to.deep.equal([]);
    const sseS3 = workgroup({
      resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_S3" } },
    });
    expect(await violationsOf(athenaWorkgroupResultsEncrypted, sseS3.records)).to.deep.equal([
      {
        resource: "queries",
        message: 'workgroup "queries" encrypts query results with "SSE_S3"; SSE_KMS with a key is required',
      },
    ]);
  });

  it("athena-workgroup-configuration-enforced accepts the default, reports an explicit false", async () => {
    expect(
      await violationsOf(
        athenaWorkgroupConfigurationEnforced,
        workgroup({ enforceWorkgroupConfiguration: undefined }).records,
      ),
    ).to.deep.equal([]);
    expect(
      await violationsOf(
        athenaWorkgroupConfigurationEnforced,
        workgroup({ enforceWorkgroupConfiguration: false }).records,
      ),
    ).to.deep.equal([
      {
        resource: "queries",
        message:
          'workgroup "queries" lets clients override its configuration (enforceWorkgroupConfiguration false)',
      },
    ]);
  });

  it("athena-workgroup-cloudwatch-metrics accepts the default, reports an explicit false", async () => {
    expect(
      await violationsOf(
        athenaWorkgroupCloudWatchMetrics,
        workgroup({ publishCloudwatchMetricsEnabled: undefined }).records,
      ),
    ).to.deep.equal([]);
    expect(
      await violationsOf(
        athenaWorkgroupCloudWatchMetrics,
        workgroup({ publishCloudwatchMetricsEnabled: false }).records,
      ),
    ).to.deep.equal([
      {
        resource: "queries",
        message:
          'workgroup "queries" publishes no CloudWatch metrics (publishCloudwatchMetricsEnabled false)',
      },
    ]);
  });

  it("athena-workgroup-bytes-scanned-cutoff reports no cutoff and one above the configured maximum", async () => {
    expect(await violationsOf(athenaWorkgroupBytesScannedCutoff, workgroup({}).records)).to.deep.equal([]);
    expect(
      await violationsOf(
        athenaWorkgroupBytesScannedCutoff,
        workgroup({ bytesScannedCutoffPerQuery: undefined }).records,
      ),
    ).to.deep.equal([
      { resource: "queries", message: 'workgroup "queries" has no per-query bytes-scanned cutoff' },
    ]);
    const config = {
      "athena-workgroup-bytes-scanned-cutoff": {
        properties: { maximumBytesScannedCutoffPerQuery: 104857600 },
      },
    };
    expect(
      await violationsOf(athenaWorkgroupBytesScannedCutoff, workgroup({}).records, config),
    ).to.deep.equal([
      {
        resource: "queries",
        message: 'workgroup "queries" allows 1073741824 bytes per query; at most 104857600 are accepted',
      },
    ]);
  });
});

function stateMachine(logging: Record<string, unknown> | undefined, logGroupEncrypted = true): FixtureStack {
  const f = new FixtureStack();
  const group = f.add("aws:cloudwatch/logGroup:LogGroup", "pipeline-logs", {
    retentionInDays: 14,
    ...(logGroupEncrypted ? { kmsKeyId: KEY_ARN } : {}),
  });
  const loggingConfiguration =
    logging === undefined
      ? {}
      : {
          loggingConfiguration: {
            logDestination: "arn:aws:logs:eu-west-1:123456789012:log-group:pipeline-logs:*",
            ...logging,
          },
        };
  f.add(
    "aws:sfn/stateMachine:StateMachine",
    "pipeline",
    { definition: "{}", tracingConfiguration: { enabled: true }, ...loggingConfiguration },
    { refs: { loggingConfiguration: group } },
  );
  return f;
}

describe("policy: Step Functions", () => {
  it("sfn-logging-all-encrypted passes ALL with data to an encrypted group", async () => {
    expect(
      await violationsOf(
        stateMachineLogging,
        stateMachine({ level: "ALL", includeExecutionData: true }).records,
      ),
    ).to.deep.equal([]);
  });

  it("sfn-logging-all-encrypted reports a lower level, missing data, no destination and a plain log group", async () => {
    expect(
      await violationsOf(
        stateMachineLogging,
        stateMachine({ level: "ERROR", includeExecutionData: false }, false).records,
      ),
    ).to.deep.equal([
      {
        resource: "pipeline",
        message:
          'state machine "pipeline" logs level "ERROR" without execution data; level ALL with execution data is required',
      },
      {
        resource: "pipeline-logs",
        message: 'log group "pipeline-logs" of state machine "pipeline" is not KMS-encrypted',
      },
    ]);
    expect(await violationsOf(stateMachineLogging, stateMachine(undefined).records)).to.deep.equal([
      {
        resource: "pipeline",
        message:
          'state machine "pipeline" logs level "OFF" without execution data; level ALL with execution data is required',
      },
      { resource: "pipeline", message: 'state machine "pipeline" has no log destination' },
    ]);
  });

  it("sfn-xray-tracing passes tracing on, reports it off", async () => {
    expect(
      await violationsOf(
        stateMachineTracing,
        stateMachine({ level: "ALL", includeExecutionData: true }).records,
      ),
    ).to.deep.equal([]);
    const f = new FixtureStack();
    f.add("aws:sfn/stateMachine:StateMachine", "pipeline", {
      definition: "{}",
      tracingConfiguration: { enabled: false },
    });
    expect(await violationsOf(stateMachineTracing, f.records)).to.deep.equal([
      { resource: "pipeline", message: 'state machine "pipeline" does not trace with X-Ray' },
    ]);
  });
});

const DATA_EVENTS = (startsWith: string[]) => ({
  name: "data",
  fieldSelectors: [
    { field: "eventCategory", equals: ["Data"] },
    { field: "resources.type", equals: ["AWS::S3::Object"] },
    ...(startsWith.length === 0 ? [] : [{ field: "resources.ARN", startsWiths: startsWith }]),
  ],
});

const MANAGEMENT_EVENTS = {
  name: "management",
  fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }],
};

function trailStack(trail: Record<string, unknown>): FixtureStack {
  const f = new FixtureStack();
  const data = addBucket(f, "data");
  f.add(
    "aws:glue/catalogDatabase:CatalogDatabase",
    "database",
    { name: "db", locationUri: "s3://data/warehouse/" },
    { refs: { locationUri: data } },
  );
  f.add("aws:cloudtrail/trail:Trail", "trail", {
    isMultiRegionTrail: true,
    enableLogFileValidation: true,
    kmsKeyId: KEY_ARN,
    advancedEventSelectors: [MANAGEMENT_EVENTS, DATA_EVENTS(["arn:aws:s3:::data/"])],
    ...trail,
  });
  return f;
}

describe("policy: CloudTrail", () => {
  it("passes a multi-region, validated, encrypted trail recording the data bucket", async () => {
    for (const policy of [
      cloudTrailMultiRegion,
      cloudTrailLogFileValidation,
      cloudTrailKmsEncryption,
      cloudTrailLakehouseDataEvents,
    ]) {
      expect(await violationsOf(policy, trailStack({}).records), policy.name).to.deep.equal([]);
    }
  });

  it("reports a single-region trail, unsigned logs and no KMS key, one policy each", async () => {
    const f = trailStack({ isMultiRegionTrail: false, enableLogFileValidation: false, kmsKeyId: undefined });
    expect(await violationsOf(cloudTrailMultiRegion, f.records)).to.deep.equal([
      {
        resource: "trail",
        message: 'trail "trail" records one region only (isMultiRegionTrail is not true)',
      },
    ]);
    expect(await violationsOf(cloudTrailLogFileValidation, f.records)).to.deep.equal([
      {
        resource: "trail",
        message: 'trail "trail" does not validate its log files (enableLogFileValidation is not true)',
      },
    ]);
    expect(await violationsOf(cloudTrailKmsEncryption, f.records)).to.deep.equal([
      { resource: "trail", message: 'trail "trail" does not encrypt its logs with a KMS key (kmsKeyId)' },
    ]);
  });

  it("cloudtrail-multi-region reports a trail whose selectors leave out management events or writes", async () => {
    const management = { name: "m", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] };
    const withManagement = trailStack({
      advancedEventSelectors: [management, DATA_EVENTS(["arn:aws:s3:::data/"])],
    });
    expect(await violationsOf(cloudTrailMultiRegion, withManagement.records)).to.deep.equal([]);
    const readsOnly = {
      name: "m",
      fieldSelectors: [...management.fieldSelectors, { field: "readOnly", equals: ["true"] }],
    };
    const basicWithout = {
      advancedEventSelectors: undefined,
      eventSelectors: [{ includeManagementEvents: false, readWriteType: "All", dataResources: [] }],
    };
    for (const f of [trailStack({ advancedEventSelectors: [readsOnly] }), trailStack(basicWithout)]) {
      expect(await violationsOf(cloudTrailMultiRegion, f.records)).to.deep.equal([
        {
          resource: "trail",
          message: 'trail "trail" does not record every management event (read and write)',
        },
      ]);
    }
  });

  it("cloudtrail-lakehouse-data-events accepts every-bucket selectors and reports a trail recording another bucket", async () => {
    expect(
      await violationsOf(
        cloudTrailLakehouseDataEvents,
        trailStack({ advancedEventSelectors: [DATA_EVENTS([])] }).records,
      ),
    ).to.deep.equal([]);
    const legacy = {
      eventSelectors: [
        { readWriteType: "All", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::"] }] },
      ],
      advancedEventSelectors: undefined,
    };
    expect(await violationsOf(cloudTrailLakehouseDataEvents, trailStack(legacy).records)).to.deep.equal([]);
    const other = trailStack({ advancedEventSelectors: [DATA_EVENTS(["arn:aws:s3:::other/"])] });
    expect(await violationsOf(cloudTrailLakehouseDataEvents, other.records)).to.deep.equal([
      {
        resource: "data",
        message: 'no trail of the stack records S3 data events of lakehouse data bucket "data"',
      },
    ]);
    expect(await notApplicableOf(cloudTrailLakehouseDataEvents, new FixtureStack().records)).to.deep.equal([
      "(stack): Policy only applies to stacks with lakehouse data buckets",
    ]);
  });

  it("cloudtrail-lakehouse-data-events reports selectors that record only reads, only writes or some events", async () => {
    const message = (what: string) => [
      {
        resource: "data",
        message: `no trail of the stack records the S3 object ${what} of lakehouse data bucket "data"`,
      },
    ];
    const readOnly = { ...DATA_EVENTS(["arn:aws:s3:::data/"]) };
    readOnly.fieldSelectors = [...readOnly.fieldSelectors, { field: "readOnly", equals: ["true"] }];
    expect(
      await violationsOf(
        cloudTrailLakehouseDataEvents,
        trailStack({ advancedEventSelectors: [readOnly] }).records,
      ),
    ).to.deep.equal(message("writes"));
    const writes = {
      ...readOnly,
      fieldSelectors: [
        ...DATA_EVENTS(["arn:aws:s3:::data/"]).fieldSelectors,
        { field: "readOnly", equals: ["false"] },
      ],
    };
    expect(
      await violationsOf(
        cloudTrailLakehouseDataEvents,
        trailStack({ advancedEventSelectors: [readOnly, writes] }).records,
      ),
    ).to.deep.equal([]);
    const basicReads = {
      advancedEventSelectors: undefined,
      eventSelectors: [
        {
          readWriteType: "ReadOnly",
          dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::data/"] }],
        },
      ],
    };
    expect(await violationsOf(cloudTrailLakehouseDataEvents, trailStack(basicReads).records)).to.deep.equal(
      message("writes"),
    );
    const someEvents = DATA_EVENTS(["arn:aws:s3:::data/"]);
    someEvents.fieldSelectors = [...someEvents.fieldSelectors, { field: "eventName", equals: ["GetObject"] }];
    const stopped = trailStack({ enableLogging: false });
    for (const f of [trailStack({ advancedEventSelectors: [someEvents] }), stopped]) {
      expect(await violationsOf(cloudTrailLakehouseDataEvents, f.records)).to.deep.equal([
        {
          resource: "data",
          message: 'no trail of the stack records S3 data events of lakehouse data bucket "data"',
        },
      ]);
    }
  });

  it("cloudtrail-lakehouse-data-events fails a stack with data and no trail, unless configured or a preview", async () => {
    const f = trailStack({});
    f.records.splice(
      f.records.findIndex((r) => r.name === "trail"),
      1,
    );
    expect(await violationsOf(cloudTrailLakehouseDataEvents, f.records)).to.deep.equal([
      {
        resource: "data",
        message: 'no trail of the stack records S3 data events of lakehouse data bucket "data"',
      },
    ]);
    const config = { "cloudtrail-lakehouse-data-events": { properties: { recordedOutsideStack: true } } };
    expect(await violationsOf(cloudTrailLakehouseDataEvents, f.records, config)).to.deep.equal([]);
    f.awsProvider("preview");
    expect(await notApplicableOf(cloudTrailLakehouseDataEvents, f.records)).to.deep.equal([
      "(stack): Preview environments rely on their account's trail",
    ]);
  });
});

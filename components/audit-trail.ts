import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./aws-context";
import { PolicyStatement } from "./iam-documents";
import { LakehouseBucket } from "./lakehouse-bucket";
import { StatefulOptions } from "./stateful-options";

export interface AuditTrailArgs {
  readonly context: AwsContext;
  /** Trail name; fixed up front because the bucket policy must name the trail's ARN. */
  readonly trailName: string;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The lakehouse data bucket, whose object-level reads and writes are recorded. */
  readonly dataBucketArn: pulumi.Input<string>;
  readonly accessLogBucketName: pulumi.Input<string>;
  readonly noncurrentVersionExpirationDays: number;
  readonly abortIncompleteUploadsAfterDays: number;
  readonly forceDestroy: boolean;
  readonly stateful: StatefulOptions;
}

/**
 * A multi-region CloudTrail trail with log file validation, KMS encryption, management events and the
 * S3 data events of the lakehouse bucket (who read or wrote which table file), into its own bucket.
 */
export class AuditTrail extends pulumi.ComponentResource {
  readonly trailArn: pulumi.Output<string>;
  readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:audit:AuditTrail", name, {}, opts);
    const { accountId, partition, region } = args.context;
    const trailArn = pulumi.interpolate`arn:${partition}:cloudtrail:${region}:${accountId}:trail/${args.trailName}`;

    const bucket = new LakehouseBucket(
      `${name}-logs`,
      {
        purpose: "cloudtrail",
        kmsKeyArn: args.kmsKeyArn,
        accessLogs: { bucket: args.accessLogBucketName },
        lifecycleRules: [],
        noncurrentVersionExpirationDays: args.noncurrentVersionExpirationDays,
        abortIncompleteUploadsAfterDays: args.abortIncompleteUploadsAfterDays,
        extraPolicyStatements: (bucketArn) => cloudTrailDeliveryStatements(bucketArn, trailArn, accountId),
        forceDestroy: args.forceDestroy,
        stateful: args.stateful,
      },
      { parent: this },
    );
    // The bucket policy must exist before CloudTrail checks it.
    const trail = new aws.cloudtrail.Trail(
      name,
      {
        name: args.trailName,
        s3BucketName: bucket.bucketName,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        kmsKeyId: args.kmsKeyArn,
        advancedEventSelectors: [
          { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
          {
            name: "Lakehouse data bucket object events",
            fieldSelectors: [
              { field: "eventCategory", equals: ["Data"] },
              { field: "resources.type", equals: ["AWS::S3::Object"] },
              { field: "resources.ARN", startsWiths: [pulumi.interpolate`${args.dataBucketArn}/`] },
            ],
          },
        ],
      },
      { parent: this, dependsOn: [bucket] },
    );
    this.trailArn = trail.arn;
    this.bucketName = bucket.bucketName;
    this.registerOutputs({ trailArn: this.trailArn, bucketName: this.bucketName });
  }
}

/** CloudTrail's documented bucket policy, limited to this trail by `aws:SourceArn`. */
function cloudTrailDeliveryStatements(
  bucketArn: pulumi.Output<string>,
  trailArn: pulumi.Output<string>,
  accountId: pulumi.Output<string>,
): PolicyStatement[] {
  const thisTrail = { StringEquals: { "aws:SourceArn": trailArn } };
  return [
    {
      Sid: "CloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: bucketArn,
      Condition: thisTrail,
    },
    {
      Sid: "CloudTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: pulumi.interpolate`${bucketArn}/AWSLogs/${accountId}/*`,
      Condition: thisTrail,
    },
  ];
}

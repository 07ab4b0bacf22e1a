import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./aws-context";
import { StatefulOptions } from "./stateful-options";

export interface GlueCatalogArgs {
  readonly context: AwsContext;
  /** Glue database name, e.g. `ecommerce_lakehouse`. */
  readonly databaseName: string;
  /** Default location of tables created without one: `s3://<data bucket>/warehouse/`. */
  readonly warehouseUri: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly stateful: StatefulOptions;
}

/**
 * The Glue Data Catalog side of the lakehouse: the database the Iceberg tables live in and the
 * security configuration every Glue job runs with (S3 and CloudWatch SSE-KMS, bookmarks CSE-KMS). The
 * catalog's encryption is an account-wide setting: AccountSettings holds it. No crawler: crawling
 * Iceberg data prefixes registers duplicate non-Iceberg tables.
 */
export class GlueCatalog extends pulumi.ComponentResource {
  readonly databaseName: pulumi.Output<string>;
  readonly databaseArn: pulumi.Output<string>;
  readonly catalogArn: pulumi.Output<string>;
  readonly securityConfigurationName: pulumi.Output<string>;

  constructor(name: string, args: GlueCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:catalog:GlueCatalog", name, {}, opts);
    const { accountId, partition, region } = args.context;

    const database = new aws.glue.CatalogDatabase(
      `${name}-database`,
      {
        name: args.databaseName,
        description: "E-commerce lakehouse: Iceberg tables of the bronze, silver and gold layers",
        locationUri: args.warehouseUri,
      },
      { parent: this, protect: args.stateful.protect, retainOnDelete: args.stateful.retainOnDelete },
    );
    const securityConfiguration = new aws.glue.SecurityConfiguration(
      `${name}-security`,
      {
        encryptionConfiguration: {
          s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: args.kmsKeyArn },
          cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: args.kmsKeyArn },
          jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: args.kmsKeyArn },
        },
      },
      { parent: this },
    );

    this.databaseName = database.name;
    this.databaseArn = database.arn;
    this.catalogArn = pulumi.interpolate`arn:${partition}:glue:${region}:${accountId}:catalog`;
    this.securityConfigurationName = securityConfiguration.name;
    this.registerOutputs({
      databaseName: this.databaseName,
      databaseArn: this.databaseArn,
      catalogArn: this.catalogArn,
      securityConfigurationName: this.securityConfigurationName,
    });
  }
}

/** `arn:...:table/<database>/<table>` for each table: what a job may read or commit to. */
export function tableArns(
  context: AwsContext,
  databaseName: pulumi.Input<string>,
  tables: readonly string[],
): pulumi.Output<string>[] {
  const { accountId, partition, region } = context;
  return tables.map(
    (table) =>
      pulumi.interpolate`arn:${partition}:glue:${region}:${accountId}:table/${databaseName}/${table}`,
  );
}

import * as pulumi from "@pulumi/pulumi";
import { CatalogKeyReference } from "../config/account-settings";
import { AwsContext } from "./aws-context";
import { tableArns } from "./glue-catalog";
import { tableDefinition } from "../tables/seed-tables";
import { objectArns, PolicyStatement } from "./iam-documents";

/** A table a principal may touch: its catalog name and its folder in the data bucket. */
export interface TableLocation {
  readonly name: string;
  readonly prefix: string;
}

/** The declared tables' names and folders. */
export function tableLocations(names: readonly string[]): TableLocation[] {
  return names.map((name) => ({ name, prefix: tableDefinition(name).prefix }));
}

/** Reading the uploaded job code (`jobs/` of the artifacts bucket), which every Spark principal runs. */
export function readJobCodeStatement(artifactsBucketArn: pulumi.Input<string>): PolicyStatement {
  return {
    Sid: "ReadJobScripts",
    Effect: "Allow",
    Action: "s3:GetObject",
    Resource: objectArns(artifactsBucketArn, ["jobs/"]),
  };
}

/** Where a principal's tables live: bucket, key, catalog and database, shared by every principal of a stack. */
export interface CatalogAccess {
  readonly dataBucketArn: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly catalogArn: pulumi.Input<string>;
  readonly databaseArn: pulumi.Input<string>;
  readonly databaseName: pulumi.Input<string>;
  /**
   * The key that encrypts the account's Data Catalog when another stack owns it (accountSettings);
   * unset when this stack owns the settings, so the catalog key is `kmsKeyArn`. @default unset
   */
  readonly catalogKey?: CatalogKeyReference;
}

/** Which tables, folders and key a Spark principal (Glue job role, EMR instance role) may use. */
export interface TableAccess extends CatalogAccess {
  readonly readsTables: readonly TableLocation[];
  readonly writesTables: readonly TableLocation[];
  /** Non-table folders of the data bucket it reads (landing files). */
  readonly readsPrefixes: readonly string[];
}

/**
 * Least-privilege statements for reading and committing Iceberg tables: S3 object actions only under
 * the tables' folders, Glue catalog actions only on their database and table ARNs, and the key.
 */
export function tableAccessStatements(context: AwsContext, access: TableAccess): PolicyStatement[] {
  const writePrefixes = access.writesTables.map((t) => t.prefix);
  const readPrefixes = unique([
    ...access.readsTables.map((t) => t.prefix),
    ...access.readsPrefixes,
    ...writePrefixes,
  ]);
  const tableNames = unique([...access.readsTables, ...access.writesTables].map((t) => t.name));
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadTableData",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: objectArns(access.dataBucketArn, readPrefixes),
    },
    {
      Sid: "ListTableData",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: access.dataBucketArn,
      Condition: { StringLike: { "s3:prefix": readPrefixes.map((p) => `${p}*`) } },
    },
    {
      Sid: "ReadCatalogTables",
      Effect: "Allow",
      Action: ["glue:GetDatabase", "glue:GetTable"],
      Resource: [
        access.catalogArn,
        access.databaseArn,
        ...tableArns(context, access.databaseName, tableNames),
      ],
    },
    {
      Sid: "UseLakehouseKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: access.kmsKeyArn,
    },
  ];
  if (access.catalogKey !== undefined) {
    statements.push(catalogKeyStatement(context, access.catalogKey));
  }
  if (writePrefixes.length > 0) {
    statements.push(
      {
        Sid: "WriteTableData",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:DeleteObject"],
        Resource: objectArns(access.dataBucketArn, writePrefixes),
      },
      {
        Sid: "CommitCatalogTables",
        Effect: "Allow",
        Action: "glue:UpdateTable",
        Resource: [
          access.catalogArn,
          access.databaseArn,
          ...tableArns(
            context,
            access.databaseName,
            access.writesTables.map((t) => t.name),
          ),
        ],
      },
    );
  }
  return statements;
}

/**
 * Reading and writing the account's Data Catalog, encrypted by the owner stack's key. A key named by
 * alias is matched by the alias (kms:ResourceAliases, keys of this account and region only), so a
 * stack needs no lookup of the owner's key ARN.
 */
export function catalogKeyStatement(context: AwsContext, key: CatalogKeyReference): PolicyStatement {
  const grant = {
    Sid: "UseCatalogKeyOfAccountOwner",
    Effect: "Allow" as const,
    Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
  };
  if ("keyArn" in key) {
    return { ...grant, Resource: key.keyArn };
  }
  const { accountId, partition, region } = context;
  return {
    ...grant,
    Resource: pulumi.interpolate`arn:${partition}:kms:${region}:${accountId}:key/*`,
    Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": key.alias } },
  };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

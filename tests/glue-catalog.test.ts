import { expect } from "chai";
import { GlueCatalog } from "../components/glue-catalog";
import { componentGraph, ofType, resource } from "./helpers/graph";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";

describe("GlueCatalog", () => {
  const build = (manageEncryptionSettings: boolean) =>
    componentGraph(
      (context) =>
        new GlueCatalog("catalog", {
          context,
          databaseName: "ecommerce_lakehouse",
          warehouseUri: "s3://data/warehouse/",
          kmsKeyArn: KEY,
          manageEncryptionSettings,
          stateful: { protect: true, retainOnDelete: true },
        }),
    );

  it("creates the database, protected and retained", async () => {
    const database = resource(
      await build(true),
      "aws:glue/catalogDatabase:CatalogDatabase",
      "catalog-database",
    );
    expect(database.inputs).to.deep.equal({
      name: "ecommerce_lakehouse",
      description: "E-commerce lakehouse: Iceberg tables of the bronze, silver and gold layers",
      locationUri: "s3://data/warehouse/",
    });
    expect([database.protect, database.retainOnDelete]).to.deep.equal([true, true]);
  });

  it("encrypts the catalog and connection passwords with the key", async () => {
    const settings = resource(
      await build(true),
      "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
      "catalog-encryption",
    );
    expect(settings.inputs.dataCatalogEncryptionSettings).to.deep.equal({
      encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: KEY },
      connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: KEY },
    });
  });

  it("leaves the account-wide encryption settings alone when another stack owns them", async () => {
    expect(
      ofType(await build(false), "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings"),
    ).to.deep.equal([]);
  });

  it("gives jobs a security configuration: S3 and CloudWatch SSE-KMS, bookmarks CSE-KMS", async () => {
    const security = resource(
      await build(true),
      "aws:glue/securityConfiguration:SecurityConfiguration",
      "catalog-security",
    );
    expect(security.inputs.encryptionConfiguration).to.deep.equal({
      s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: KEY },
      cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: KEY },
      jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: KEY },
    });
  });

  it("creates no crawler", async () => {
    expect(ofType(await build(true), "aws:glue/crawler:Crawler")).to.deep.equal([]);
  });
});

import { expect } from "chai";
import { GlueCatalog } from "../components/glue-catalog";
import { componentGraph, ofType, resource } from "./helpers/graph";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";

describe("GlueCatalog", () => {
  const build = () =>
    componentGraph(
      (context) =>
        new GlueCatalog("catalog", {
          context,
          databaseName: "ecommerce_lakehouse",
          warehouseUri: "s3://data/warehouse/",
          kmsKeyArn: KEY,
          stateful: { protect: true, retainOnDelete: true },
        }),
    );

  it("creates the database, protected and retained", async () => {
    const database = resource(await build(), "aws:glue/catalogDatabase:CatalogDatabase", "catalog-database");
    expect(database.inputs).to.deep.equal({
      name: "ecommerce_lakehouse",
      description: "E-commerce lakehouse: Iceberg tables of the bronze, silver and gold layers",
      locationUri: "s3://data/warehouse/",
    });
    expect([database.protect, database.retainOnDelete]).to.deep.equal([true, true]);
  });

  it("leaves the catalog's encryption, an account-wide setting, to AccountSettings", async () => {
    expect(
      ofType(await build(), "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings"),
    ).to.deep.equal([]);
  });

  it("gives jobs a security configuration: S3 and CloudWatch SSE-KMS, bookmarks CSE-KMS", async () => {
    const security = resource(
      await build(),
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
    expect(ofType(await build(), "aws:glue/crawler:Crawler")).to.deep.equal([]);
  });
});

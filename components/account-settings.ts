import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The component's type; the policy pack reads its outputs to know whether the stack owns the settings. */
export const ACCOUNT_SETTINGS_TYPE = "lakehouse:account:AccountSettings";

export interface AccountSettingsArgs {
  /** This stack owns the account's settings (config `accountSettings.owner`). */
  readonly owner: boolean;
  /** The owner's key, with which it encrypts the Data Catalog: the stack's own key. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** A stack that does not own the settings: the owner's catalog key (`accountSettings.catalogKey`). */
  readonly catalogKey?: string;
  /**
   * Where the catalog encryption lived before this component held it (the GlueCatalog): an alias, so
   * moving it here updates the setting in place instead of creating it again and deleting the old one.
   */
  readonly previousCatalogEncryption?: { readonly name: string; readonly parent: pulumi.Resource };
}

/**
 * The account-wide settings of one AWS account and region, set by the one stack that owns them: the
 * Data Catalog's encryption (SSE-KMS at rest with the owner's key, encrypted connection passwords)
 * and EMR block public access. Both are retained on delete: removing the owner never weakens the
 * account. A stack that does not own them creates nothing here and records which key it relies on.
 */
export class AccountSettings extends pulumi.ComponentResource {
  constructor(name: string, args: AccountSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ACCOUNT_SETTINGS_TYPE, name, {}, opts);
    if (args.owner === (args.catalogKey !== undefined)) {
      throw new Error(
        `AccountSettings ${name}: [catalogKey] is given exactly when the stack does not own the settings`,
      );
    }
    if (args.owner) {
      new aws.glue.DataCatalogEncryptionSettings(
        `${name}-catalog-encryption`,
        {
          dataCatalogEncryptionSettings: {
            encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: args.kmsKeyArn },
            connectionPasswordEncryption: {
              returnConnectionPasswordEncrypted: true,
              awsKmsKeyId: args.kmsKeyArn,
            },
          },
        },
        {
          parent: this,
          retainOnDelete: true,
          aliases:
            args.previousCatalogEncryption === undefined ? [] : [{ ...args.previousCatalogEncryption }],
        },
      );
      // EMR.2: refuse clusters whose security groups open ports to the internet, for every cluster of the
      // account, whichever stack creates it.
      new aws.emr.BlockPublicAccessConfiguration(
        `${name}-emr-block-public-access`,
        { blockPublicSecurityGroupRules: true },
        { parent: this, retainOnDelete: true },
      );
    }
    this.registerOutputs({
      owner: args.owner,
      ...(args.catalogKey === undefined ? {} : { catalogKey: args.catalogKey }),
    });
  }
}

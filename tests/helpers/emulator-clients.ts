import { AthenaClient } from "@aws-sdk/client-athena";
import { GlueClient } from "@aws-sdk/client-glue";
import { S3Client } from "@aws-sdk/client-s3";
import { AwsClients } from "../../components/iceberg-table/aws-clients";
import { MOTO_CREDENTIALS } from "./moto-server";

/**
 * The tests' own clients on the emulator, to seed and inspect it: endpoint and credentials given
 * explicitly, so they keep talking to moto while a test points the providers (through the environment)
 * at a fault proxy.
 */
export function emulatorClients(endpoint: string, region = "eu-west-1"): AwsClients {
  const common = { region, endpoint, credentials: MOTO_CREDENTIALS };
  return {
    athena: new AthenaClient(common),
    glue: new GlueClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
  };
}

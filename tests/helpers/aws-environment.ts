import * as fs from "fs";
import * as path from "path";
import { MOTO_CREDENTIALS } from "./moto-server";

/**
 * The environment that points the AWS SDK at the emulator: its endpoint (AWS_ENDPOINT_URL, which SDK v3
 * reads for every client; an IP endpoint makes S3 use path-style addressing) and test credentials. The
 * providers read it through the SDK's default chain, in this process for direct and serialized calls
 * and in the dynamic provider host the engine starts (the Automation API passes it on), so nothing
 * test-specific is ever captured into a provider.
 */
export function emulatorEnvironment(
  endpoint: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } = MOTO_CREDENTIALS,
): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  };
}

/** Sets environment variables for this process; the returned function puts the previous values back. */
export function useEnvironment(values: Readonly<Record<string, string>>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  };
}

/** A shared config and credentials file holding one profile, as `aws configure` writes them. */
export function writeProfileFiles(
  dir: string,
  profile: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string },
  region = "eu-west-1",
): { readonly config: string; readonly credentials: string } {
  const files = { config: path.join(dir, "config"), credentials: path.join(dir, "credentials") };
  fs.writeFileSync(files.config, `[profile ${profile}]\nregion = ${region}\n`);
  fs.writeFileSync(
    files.credentials,
    `[${profile}]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`,
  );
  return files;
}

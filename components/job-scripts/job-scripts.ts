import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AwsSdkConnection } from "../aws-sdk-config";
import { compileErrors } from "./compile-check";
import { JobPackage, JobPackageSource, packageJobs, writeJobPackage } from "./job-package";
import { ScriptUploadInputs, scriptUploadProvider, uploadPrefix } from "./script-upload-provider";

export interface JobScriptsArgs extends JobPackageSource {
  /** Where the package is written for the upload (`<buildDir>/<content hash>/`), e.g. `build/job-packages`. */
  readonly buildDir: string;
  readonly region: string;
  /** The stack's AWS connection for the upload's SDK client (`awsSdkConnection`). @default { region } */
  readonly aws?: AwsSdkConnection;
  readonly bucket: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
}

/** The uploaded code of every job, as the Glue jobs reference it. */
export interface JobScriptLocations {
  /** `job key -> s3://.../jobs/<hash>/<key>.py`. */
  readonly scriptUris: pulumi.Output<Record<string, string>>;
  /** `s3://.../jobs/<hash>/<shared package>.zip`, for `--extra-py-files`. */
  readonly sharedPackageUri: pulumi.Output<string>;
}

type Inputs<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

const provider = scriptUploadProvider();

/** Type token `pulumi-nodejs:dynamic/lakehouse:JobScriptUpload`. */
class ScriptUpload extends pulumi.dynamic.Resource {
  declare readonly bucket: pulumi.Output<string>;
  declare readonly contentHash: pulumi.Output<string>;

  constructor(name: string, inputs: Inputs<ScriptUploadInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { ...inputs, prefix: undefined, objects: undefined },
      opts,
      "lakehouse",
      "JobScriptUpload",
    );
  }
}

/** Checks every script compiles, then packages them (throws naming each file that does not). */
export async function checkedPackage(source: JobPackageSource): Promise<JobPackage> {
  const pkg = await packageJobs(source);
  const errors = compileErrors([
    ...source.jobKeys.map((key) => path.join(source.jobsDir, `${key}.py`)),
    ...pkg.sharedFiles.map((file) => path.join(source.jobsDir, file)),
  ]);
  if (errors.length > 0) {
    throw new Error(`JobScripts: [jobsDir] these job sources do not compile:\n  ${errors.join("\n  ")}`);
  }
  return pkg;
}

/**
 * The job code in the artifacts bucket: `jobs/` packaged deterministically, compile-checked, and
 * uploaded under a prefix named by its content hash. Identical code gives the same prefix, so nothing
 * changes; new code gets a new prefix and the Glue jobs move to it.
 */
export class JobScripts extends pulumi.ComponentResource implements JobScriptLocations {
  readonly scriptUris: pulumi.Output<Record<string, string>>;
  readonly sharedPackageUri: pulumi.Output<string>;

  constructor(name: string, args: JobScriptsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:compute:JobScripts", name, {}, opts);
    // Only names and hashes leave this promise: bytes passed through an Output would be stored in the
    // state (and a Buffer would not even survive it: an Output turns it into a plain object).
    const written = checkedPackage(args).then((pkg) => ({
      packageDir: writeJobPackage(pkg, args.buildDir),
      contentHash: pkg.contentHash,
      files: [...pkg.entryScripts, pkg.sharedPackage].map((f) => ({ name: f.name, sha256: f.sha256 })),
    }));
    const upload = new ScriptUpload(
      `${name}-upload`,
      {
        region: args.region,
        aws: args.aws ?? { region: args.region },
        bucket: args.bucket,
        kmsKeyArn: args.kmsKeyArn,
        contentHash: written.then((w) => w.contentHash),
        files: written.then((w) => w.files),
        packageDir: written.then((w) => w.packageDir),
      },
      { parent: this },
    );
    const base = pulumi.interpolate`s3://${upload.bucket}/${upload.contentHash.apply(uploadPrefix)}`;
    this.scriptUris = base.apply((b) =>
      Object.fromEntries(args.jobKeys.map((key) => [key, `${b}${key}.py`])),
    );
    this.sharedPackageUri = pulumi.interpolate`${base}${args.sharedPackage}.zip`;
    this.registerOutputs({ scriptUris: this.scriptUris, sharedPackageUri: this.sharedPackageUri });
  }
}

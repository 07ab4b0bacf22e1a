import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { compileErrors } from "./compile-check";
import { JobPackage, JobPackageSource, packageJobs } from "./job-package";
import { ScriptUploadInputs, ScriptUploadProvider, uploadPrefix } from "./script-upload-provider";

export interface JobScriptsArgs extends JobPackageSource {
  readonly region: string;
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

/** Type token `pulumi-nodejs:dynamic/lakehouse:JobScriptUpload`. */
class ScriptUpload extends pulumi.dynamic.Resource {
  declare readonly bucket: pulumi.Output<string>;
  declare readonly contentHash: pulumi.Output<string>;

  constructor(name: string, inputs: Inputs<ScriptUploadInputs>, opts?: pulumi.CustomResourceOptions) {
    super(
      new ScriptUploadProvider(),
      name,
      { ...inputs, objects: undefined },
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
    const pkg = pulumi.output(checkedPackage(args));
    const upload = new ScriptUpload(
      `${name}-upload`,
      {
        region: args.region,
        bucket: args.bucket,
        kmsKeyArn: args.kmsKeyArn,
        contentHash: pkg.apply((p) => p.contentHash),
        files: pkg.apply((p) =>
          [...p.entryScripts, p.sharedPackage].map((f) => ({
            name: f.name,
            contentBase64: f.content.toString("base64"),
            sha256: f.sha256,
          })),
        ),
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

import { ResourceRecord } from "./resource-graph";

/**
 * The default providers the engine adds. A resource declared without an explicit provider (a bucket
 * written straight into index.ts) goes, under `pulumi up`, through the engine's default provider of
 * its package: `pulumi:providers:aws::default_7_48_0`, configured from the stack's `aws:` settings
 * only (no default tags unless `aws:defaultTags` is set). The SDK leaves that to the engine, so a
 * capture under mocks sees no provider at all; this adds the record the engine would register and
 * points the resource at it, so the policies judge the provider the resource really gets.
 * Only the AWS package: its provider's settings (region, tags, account) are what the pack reads.
 */

const AWS_PACKAGE = "aws";
const AWS_PROVIDER_TYPE = "pulumi:providers:aws";

/** The engine's name for a package's default provider: `default_<version with underscores>`. */
export function defaultProviderName(version: string | undefined): string {
  return version === undefined ? "default" : `default_${version.replace(/[.+-]/g, "_")}`;
}

/** The default provider's inputs: the stack's `aws:<key>` settings and the plugin version. */
function defaultProviderInputs(
  settings: Readonly<Record<string, string>>,
  version: string | undefined,
): Record<string, unknown> {
  const inputs: Record<string, unknown> = Object.fromEntries(
    Object.entries(settings)
      .filter(([key]) => key.startsWith(`${AWS_PACKAGE}:`))
      .map(([key, value]) => [key.slice(AWS_PACKAGE.length + 1), value]),
  );
  return version === undefined ? inputs : { ...inputs, version };
}

export interface DefaultProviderContext {
  readonly project: string;
  readonly stack: string;
  readonly settings: Readonly<Record<string, string>>;
}

/** `records` with a default AWS provider (one per package version) for every AWS resource without one. */
export function withDefaultProviders(
  records: readonly ResourceRecord[],
  context: DefaultProviderContext,
): ResourceRecord[] {
  const providers = new Map<string, ResourceRecord>();
  const result: ResourceRecord[] = [];
  for (const record of records) {
    if (!record.custom || record.provider !== undefined || record.type.split(":")[0] !== AWS_PACKAGE) {
      result.push(record);
      continue;
    }
    const name = defaultProviderName(record.packageVersion);
    let provider = providers.get(name);
    if (provider === undefined) {
      const inputs = defaultProviderInputs(context.settings, record.packageVersion);
      provider = {
        urn: `urn:pulumi:${context.stack}::${context.project}::${AWS_PROVIDER_TYPE}::${name}`,
        type: AWS_PROVIDER_TYPE,
        name,
        custom: true,
        inputs,
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        dependencies: [],
        propertyDependencies: {},
        outputs: inputs,
      };
      providers.set(name, provider);
      result.push(provider);
    }
    result.push({ ...record, provider: `${provider.urn}::${name}` });
  }
  return result;
}

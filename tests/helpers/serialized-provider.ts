import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/*
 * The form of a dynamic provider that the engine runs. `pulumi.dynamic.Resource` stores
 * `serializeFunction(() => provider, { allowSecrets: true })`'s text in the state (`__provider`), and
 * the dynamic provider host (@pulumi/pulumi/cmd/dynamic-provider) loads it back with
 * `requireFromString(text).handler()` in its own process. These helpers do exactly that, in-process,
 * so every provider test also runs on the rewritten code: a construct the serializer breaks fails a
 * fast test, without the CLI.
 */

// The host's own loader, resolved from @pulumi/pulumi as the host resolves it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString = require(
  require.resolve("require-from-string", {
    paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))],
  }),
) as (code: string) => { handler: () => unknown };

/** The text `pulumi.dynamic.Resource` writes into the state for this provider. */
export async function serializedProviderText(provider: object): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}

/** The provider as the dynamic provider host loads it from the state. */
export async function serializedProvider<T extends object>(provider: T): Promise<T> {
  return requireFromString(await serializedProviderText(provider)).handler() as T;
}

/** How a provider test obtains the provider: as written, and as the engine runs it. */
export interface ProviderForm {
  readonly name: string;
  load<T extends object>(provider: T): Promise<T>;
}

export const PROVIDER_FORMS: readonly ProviderForm[] = [
  { name: "called directly", load: async (provider) => provider },
  { name: "serialized as the engine runs it", load: serializedProvider },
];

/**
 * Constructs the serializer is known to break, found in a provider's serialized text: a class that
 * extends a built-in (its constructor becomes `Builtin.call(this, ...)`: an Error subclass loses its
 * message) and a captured instance of a built-in with internal state (Map, Set, Date, Buffer, ...),
 * which the serializer writes as a plain object holding the prototype's methods. Class field
 * initializers leave no trace in the text; the ESLint rules on provider code and the serialized-form
 * tests catch those.
 */
export function serializationHazards(text: string): string[] {
  const hazards = new Set<string>();
  for (const [, builtin] of text.matchAll(/__super: global\.(\w+)/g)) {
    hazards.add(`a class extending ${builtin} (serialized, its constructor is ${builtin}.call(this, ...))`);
  }
  for (const [, builtin] of text.matchAll(/global\.(\w+)\.prototype\b/g)) {
    hazards.add(`a captured ${builtin} instance (serialized as a plain object, its internal state lost)`);
  }
  return [...hazards].sort();
}

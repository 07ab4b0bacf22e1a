import * as pulumi from "@pulumi/pulumi";
import {
  Policy,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { ResourceRecord } from "./resource-graph";

/*
 * How the engine hands a captured resource to the policy runtime: the properties as they travel
 * (secrets kept, "__" keys dropped: SkipInternalKeys), deserialized and proxied by @pulumi/policy
 * itself; the options, the provider, the type checks; and the stack's resources with parent and
 * dependency objects, as @pulumi/policy 1.21's server.js builds them.
 */

// Internal modules of the pinned @pulumi/policy: exported by their files, left out of its typings.
/* eslint-disable @typescript-eslint/no-require-imports */
export const policyInternals = require("@pulumi/policy/policy") as {
  getPulumiType(value: unknown): string | undefined;
  isResourcePolicy(policy: Policy): policy is ResourceValidationPolicy;
  isStackPolicy(policy: Policy): policy is StackValidationPolicy;
};
export const proxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(value: T): T;
  UnknownValueError: new (...args: never[]) => Error;
};
const deserialize = require("@pulumi/policy/deserialize") as {
  deserializeProperties(struct: { toJavaScript(): unknown }, proxySecrets: boolean): Record<string, unknown>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

export const NO_STACK_TAGS: ReadonlyMap<string, string> = Object.freeze(new Map<string, string>());

/** A value as the engine sends it: secrets kept as secrets, assets as asset signatures, no "__" keys. */
export function toWire(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(toWire);
  }
  if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) {
    return JSON.parse(JSON.stringify(value));
  }
  if (value !== null && typeof value === "object") {
    const wire: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (!key.startsWith("__") && item !== undefined) {
        wire[key] = toWire(item);
      }
    }
    return wire;
  }
  return value;
}

/** Properties as a policy sees them: deserialized by @pulumi/policy itself, behind its unknown-checking proxy. */
export function policyProperties(values: Record<string, unknown>): Record<string, unknown> {
  const wire = toWire(values);
  return proxy.unknownCheckingProxy(deserialize.deserializeProperties({ toJavaScript: () => wire }, false));
}

/**
 * The URN of the provider a resource goes through, from its provider reference as the engine holds it
 * ("<provider URN>::<provider id>"); undefined for a resource without an explicit provider.
 */
export function providerUrnOf(record: Pick<ResourceRecord, "provider">): string | undefined {
  return record.provider === undefined
    ? undefined
    : record.provider.slice(0, record.provider.lastIndexOf("::"));
}

export function providerOf(
  record: ResourceRecord,
  byUrn: ReadonlyMap<string, ResourceRecord>,
): PolicyProviderResource | undefined {
  const providerUrn = providerUrnOf(record);
  const provider = providerUrn === undefined ? undefined : byUrn.get(providerUrn);
  return provider === undefined
    ? undefined
    : {
        type: provider.type,
        props: policyProperties(provider.inputs),
        urn: provider.urn,
        name: provider.name,
      };
}

/**
 * The options the engine sends. The capture knows deleteBeforeReplace only as a boolean; the SDK
 * marks it "defined" when the program set it, so an explicit `false` shows here as undefined.
 */
export function optionsOf(record: ResourceRecord, withParent: boolean): PolicyResourceOptions {
  return {
    protect: record.protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(record.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
    ...(withParent && record.parent !== undefined ? { parent: record.parent } : {}),
  };
}

export function isTypeOf(type: string, resourceClass: unknown): boolean {
  const pulumiType = policyInternals.getPulumiType(resourceClass);
  if (pulumiType !== undefined) {
    return type === pulumiType;
  }
  const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** The stack's resources as stack policies see them: outputs, options, parent and dependency objects. */
export function stackResources(records: readonly ResourceRecord[]): PolicyResource[] {
  const byUrn = new Map(records.map((r) => [r.urn, r]));
  const resources = new Map<string, PolicyResource>();
  for (const record of records) {
    const props = policyProperties(record.outputs);
    const provider = providerOf(record, byUrn);
    resources.set(record.urn, {
      type: record.type,
      props,
      urn: record.urn,
      name: record.name,
      opts: optionsOf(record, false),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => isTypeOf(record.type, resourceClass),
      asType: ((resourceClass: unknown) =>
        isTypeOf(record.type, resourceClass) ? props : undefined) as PolicyResource["asType"],
      ...(provider === undefined ? {} : { provider }),
    });
  }
  const resolve = (urns: readonly string[]) => urns.flatMap((urn) => resources.get(urn) ?? []);
  for (const record of records) {
    const resource = resources.get(record.urn) as PolicyResource;
    const parent = record.parent === undefined ? undefined : resources.get(record.parent);
    if (parent !== undefined) {
      resource.parent = parent;
    }
    resource.dependencies = resolve(record.dependencies);
    resource.propertyDependencies = Object.fromEntries(
      Object.entries(record.propertyDependencies).map(([key, urns]) => [key, resolve(urns)]),
    );
  }
  return [...resources.values()];
}

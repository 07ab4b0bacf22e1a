import { z } from "zod";

/**
 * Names a misspelt or unknown key instead of zod's path-less "Unrecognized key(s) in object": the
 * field is the key itself and the message lists the keys accepted at that place of the spec.
 */

/** The keys the object schema at `path` of `value` accepts, or undefined when there is no object schema there. */
export function acceptedKeysAt(
  schema: z.ZodTypeAny,
  path: readonly (string | number)[],
  value: unknown,
): string[] | undefined {
  let current: z.ZodTypeAny | undefined = unwrap(schema);
  let at: unknown = value;
  for (const part of path) {
    at = (at as Record<string | number, unknown> | undefined)?.[part];
    if (current instanceof z.ZodObject) {
      current = (current.shape as Record<string, z.ZodTypeAny>)[String(part)];
    } else if (current instanceof z.ZodArray) {
      current = current.element as z.ZodTypeAny;
    } else {
      return undefined;
    }
    current = current === undefined ? undefined : unwrap(current);
    if (current instanceof z.ZodDiscriminatedUnion) {
      const discriminator = (at as Record<string, unknown> | undefined)?.[current.discriminator];
      current = current.optionsMap.get(discriminator as string) as z.ZodTypeAny | undefined;
    }
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape as object) : undefined;
}

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault) {
      current = current._def.innerType as z.ZodTypeAny;
    } else if (current instanceof z.ZodOptional) {
      current = current.unwrap() as z.ZodTypeAny;
    } else {
      return current;
    }
  }
}

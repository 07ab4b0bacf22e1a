import { z } from "zod";
import { lakehouseConfigSchema } from "./stack-config";

/** The range zod accepts for a numeric setting: what the jobs' argument parser must accept too. */
export interface NumberBounds {
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

/** The schema inside the wrappers zod puts around it (`.default()`, `.optional()`, `.superRefine()`). */
function unwrapped(schema: z.ZodTypeAny): z.ZodTypeAny {
  if (schema instanceof z.ZodDefault) {
    return unwrapped(schema._def.innerType);
  }
  if (schema instanceof z.ZodOptional) {
    return unwrapped(schema.unwrap());
  }
  if (schema instanceof z.ZodEffects) {
    return unwrapped(schema.innerType());
  }
  return schema;
}

/**
 * The bounds of one numeric setting (`["maintenance", "snapshotsToKeep"]`), read from the stack
 * configuration schema itself, so that no second copy of them can drift (pure).
 */
export function settingBounds(path: readonly string[]): NumberBounds {
  let schema: z.ZodTypeAny = lakehouseConfigSchema;
  for (const key of path) {
    const object = unwrapped(schema);
    if (!(object instanceof z.ZodObject) || !(key in object.shape)) {
      throw new Error(`[${path.join(".")}] is not a setting of the stack configuration`);
    }
    schema = (object.shape as Record<string, z.ZodTypeAny>)[key];
  }
  const number = unwrapped(schema);
  if (!(number instanceof z.ZodNumber) || number.minValue === null || number.maxValue === null) {
    throw new Error(`[${path.join(".")}] is not a number setting with a minimum and a maximum`);
  }
  return { min: number.minValue, max: number.maxValue, integer: number.isInt };
}

/**
 * The errors of the table language (a type that does not parse) and of the IcebergTable provider: plain
 * `Error` objects with a `name` and details, recognised by that name. It lives here, at the bottom of
 * the imports, because the type grammar throws them too.
 *
 * Never `class ... extends Error`: the engine runs the provider as Pulumi's function serializer rewrote
 * it, where a subclass constructor becomes `Error.call(this, message)`, which returns a new error and
 * leaves `this` without its message and outside `instanceof Error` ("...: undefined" in every check
 * failure). `new Error(...)` calls the real global constructor in both forms.
 */
export type NamedError<N extends string, D extends object = object> = Error & { readonly name: N } & D;

export function namedError<N extends string, D extends object = object>(
  name: N,
  message: string,
  details?: D,
): NamedError<N, D> {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, details) as NamedError<N, D>;
}

export function hasErrorName<N extends string>(error: unknown, name: N): error is NamedError<N> {
  return error instanceof Error && error.name === name;
}

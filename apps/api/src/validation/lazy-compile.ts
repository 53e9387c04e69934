/**
 * Schema compilation deferred to the first use of a route.
 *
 * Fastify compiles a validator for each route's body, params, query and headers and a serializer for each
 * response status while the app starts: some 150 Ajv and fast-json-stringify compilations that cost about a
 * third of a development start's CPU, for routes a start-up may never see. Compiling each one when its route
 * first needs it moves that cost off the start (a few milliseconds on the first request of each route).
 * A schema neither compiler accepts is then reported at the first request of its route instead of at start;
 * every route's schemas are compiled by the app's tests (the OpenAPI and contract tests call each route).
 */

/** A validator in Ajv's shape: true or false, with the failures of the last call on `errors`. */
export interface LazyValidator<E> {
  (data: unknown): boolean;
  errors?: E | null;
}

/** A validator that compiles with `compile` on its first call and then delegates to the result. */
export function lazyValidator<E>(
  compile: () => ((data: unknown) => boolean | PromiseLike<unknown>) & { errors?: E | null },
): LazyValidator<E> {
  let compiled: ((data: unknown) => boolean | PromiseLike<unknown>) & { errors?: E | null };
  const validate: LazyValidator<E> = (data) => {
    compiled ??= compile();
    // The schemas have no `$async`: Ajv's validators for them answer with a boolean.
    const result = compiled(data) as boolean;
    // Fastify reads the failures from the function it was given, after a false.
    validate.errors = compiled.errors;
    return result;
  };
  return validate;
}

/** A serializer that compiles with `compile` on its first call and then delegates to the result. */
export function lazySerializer(compile: () => (data: unknown) => string): (data: unknown) => string {
  let compiled: ((data: unknown) => string) | undefined;
  return (data) => {
    compiled ??= compile();
    return compiled(data);
  };
}

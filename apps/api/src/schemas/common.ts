import { type TProperties, type TSchema, Type } from '@sinclair/typebox';

/**
 * An object schema that refuses members it does not declare. Fastify's default would silently drop them;
 * the contract wants a 400 instead, so every body, params and query schema is built with this.
 */
export function strictObject<T extends TProperties>(properties: T, options: { description?: string } = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** A string limited to `values`, documented as an enum (clearer errors than a union of literals). */
export function stringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** An RFC 3339 date-time: the format checks the calendar too, so `2023-02-30T00:00:00Z` is refused. */
export const DateTime = (options: { description?: string } = {}) =>
  Type.String({ format: 'date-time', examples: ['2024-03-01T09:00:00Z'], ...options });

/** How a stored instant is answered: always UTC with milliseconds (`Date.toISOString`). */
export const Timestamp = (description: string) => Type.String({ format: 'date-time', description });

/** An e-mail address, as long as SMTP can carry (RFC 5321). */
export const Email = Type.String({ format: 'email', maxLength: 254, examples: ['ada@example.com'] });

/** `:id` in a path. Any string is a fair question: one that names nothing is a 404, never a 400. */
export const IdParams = strictObject({ id: Type.String({ description: 'The id the server made.' }) });

/** Routes that take no query parameters still refuse unknown ones. */
export const NoQuery = strictObject({});

/** `If-Match` as documented in OpenAPI; its syntax is checked by `parseIfMatch`, not by the schema. */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description:
        'The `ETag` last seen, `"<version>"`. When the stored version differs: 412, nothing changes.',
    }),
  ),
});

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({
        examples: ['VALIDATION'],
        description:
          'VALIDATION, NOT_FOUND, CONFLICT, PRECONDITION_FAILED, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, ' +
          'UNAVAILABLE, NOT_IMPLEMENTED or INTERNAL',
      }),
      message: Type.String(),
      details: Type.Optional(
        Type.Array(Type.Object({ field: Type.Optional(Type.String()), message: Type.String() })),
      ),
    }),
  },
  { description: 'An error' },
);

/** The error responses a route can give, for OpenAPI. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody]));
}

export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size.' });
export const Cursor = Type.String({
  minLength: 1,
  maxLength: 4096,
  description: 'Opaque: the `nextCursor` of the previous page, with the same filters and sort.',
});

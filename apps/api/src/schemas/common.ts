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

const IdempotencyKeyHeader = Type.String({
  description:
    '1 to 255 visible ASCII characters, unique per intended write. Stored with the write in its transaction for ' +
    '`IDEMPOTENCY_TTL_S` seconds (default 24 h): a retry with the same key, method, path and body replays the ' +
    'first response with `Idempotency-Replayed: true` and writes nothing; the same key with another request is ' +
    '422 IDEMPOTENCY_KEY_REUSED; while the first is in progress, 409 IDEMPOTENCY_KEY_IN_USE. Failed requests are ' +
    'not stored. Its syntax is checked by the route (400 VALIDATION).',
  examples: ['3f1c9b0e-8d7a-4f4e-9a51-1c2b3d4e5f60'],
});

/** The headers of a POST: an optional `Idempotency-Key`. */
export const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKeyHeader) });

/** The headers of a PATCH or DELETE: `If-Match` and `Idempotency-Key`, both optional. */
export const ConditionalWriteHeaders = Type.Object({
  ...IfMatchHeaders.properties,
  'idempotency-key': Type.Optional(IdempotencyKeyHeader),
});

/** The `Idempotency-Replayed` response header, documented on every unsafe operation's success answer. */
export const ReplayedHeader = {
  'idempotency-replayed': {
    type: 'string',
    enum: ['true'],
    description: 'Present on a response replayed from a stored Idempotency-Key; nothing was written again.',
  },
} as const;

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({
        examples: ['VALIDATION'],
        description:
          'VALIDATION, NOT_FOUND, CONFLICT, PRECONDITION_FAILED, PAYLOAD_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, ' +
          'IDEMPOTENCY_KEY_IN_USE (409), IDEMPOTENCY_KEY_REUSED (422), UNAVAILABLE, NOT_IMPLEMENTED, ' +
          'OUTCOME_UNKNOWN (500: a write whose commit outcome could not be learned; it may or may not have been ' +
          'applied, read before retrying) or INTERNAL',
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

/**
 * The answers every unsafe operation can give besides its own: 409 (a unique value taken, or
 * IDEMPOTENCY_KEY_IN_USE), 422 IDEMPOTENCY_KEY_REUSED, 500 (OUTCOME_UNKNOWN, or INTERNAL for a bug) and
 * 503 UNAVAILABLE (also OUTCOME_UNKNOWN's answer to a request that carried an Idempotency-Key).
 */
export function writeErrorResponses(...statuses: number[]): Record<number, TSchema> {
  return errorResponses(...new Set([...statuses, 409, 422, 500, 503]));
}

/** A success schema with `Idempotency-Replayed` (and `extra`) documented as its response headers. */
export function withReplayedHeader<T extends TSchema>(schema: T, extra: Record<string, unknown> = {}): T {
  return { ...schema, headers: { ...extra, ...ReplayedHeader } } as T;
}

export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size.' });
export const Cursor = Type.String({
  minLength: 1,
  maxLength: 4096,
  description: 'Opaque: the `nextCursor` of the previous page, with the same filters and sort.',
});

/**
 * What the OpenAPI document adds to the routes' own schemas, so that it passes a strict validator and
 * Redocly's recommended rules and serves code generators: an `operationId` on every operation, a
 * description on every response, the error body as one shared schema, and an example on every answer.
 * Kept here, by operation, so the routes stay about behaviour; `finishDocument` fails loudly on an operation
 * missing from `OPERATIONS`, so a new route cannot ship undocumented (the OpenAPI test builds the document).
 */

/** One operation's id (stable: generated clients name their functions after it) and its success answer. */
interface OperationDoc {
  operationId: string;
  /** What the success status means for this operation. */
  success: string;
}

/** Every operation, keyed `METHOD /path` as the document spells the path. */
export const OPERATIONS: Readonly<Record<string, OperationDoc>> = {
  'GET /health': { operationId: 'getHealth', success: 'The database answered; the pool state' },
  'GET /metrics': { operationId: 'getMetrics', success: 'Prometheus text exposition' },
  'GET /employees': { operationId: 'listEmployees', success: 'One page of employees and the next cursor' },
  'POST /employees': { operationId: 'createEmployee', success: 'Created: the stored employee' },
  'GET /employees/export': { operationId: 'exportEmployees', success: 'The matching employees as NDJSON' },
  'POST /employees/bulk': { operationId: 'createEmployees', success: 'Created: every employee, in order' },
  'GET /employees/{id}': { operationId: 'getEmployee', success: 'The employee, with its version as ETag' },
  'PATCH /employees/{id}': { operationId: 'updateEmployee', success: 'The changed employee' },
  'DELETE /employees/{id}': { operationId: 'deleteEmployee', success: 'Deleted' },
  'GET /users': { operationId: 'listUsers', success: 'One page of users and the next cursor' },
  'POST /users': { operationId: 'createUser', success: 'Created: the stored user' },
  'GET /users/{id}': { operationId: 'getUser', success: 'The user, with its version as ETag' },
  'PATCH /users/{id}': { operationId: 'updateUser', success: 'The changed user' },
  'DELETE /users/{id}': { operationId: 'deleteUser', success: 'Deleted' },
  'POST /departments/{department}/raise': {
    operationId: 'raiseDepartment',
    success: 'Every salary of the department raised; how many employees changed',
  },
  'GET /departments/{department}/stats': {
    operationId: 'getDepartmentStats',
    success: "The department's head count, total and average salary",
  },
};

/** What each error status means on this API, with an example body a client receives. */
const ERRORS: Readonly<Record<string, { description: string; code: string; message: string }>> = {
  400: {
    description: 'A parameter, header or body the contract refuses (VALIDATION); nothing changed',
    code: 'VALIDATION',
    message: 'body/salary must be >= 0',
  },
  404: {
    description: 'Nothing has this id (NOT_FOUND)',
    code: 'NOT_FOUND',
    message: 'no employee with id "42"',
  },
  409: {
    description:
      'A conflict (CONFLICT: a unique value taken, or a bound the operation states) or the Idempotency-Key is ' +
      'in use by a request in progress (IDEMPOTENCY_KEY_IN_USE); nothing changed',
    code: 'CONFLICT',
    message: 'email is already taken',
  },
  412: {
    description: 'If-Match names another version than the stored one (PRECONDITION_FAILED); nothing changed',
    code: 'PRECONDITION_FAILED',
    message: 'expected version 3, found 4',
  },
  413: {
    description: 'The body is over 1 MiB (PAYLOAD_TOO_LARGE)',
    code: 'PAYLOAD_TOO_LARGE',
    message: 'body too large',
  },
  415: {
    description: 'The body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'only application/json bodies are accepted',
  },
  422: {
    description:
      'The Idempotency-Key was used with another request (IDEMPOTENCY_KEY_REUSED); nothing changed',
    code: 'IDEMPOTENCY_KEY_REUSED',
    message: 'this Idempotency-Key was used with another request',
  },
  500: {
    description:
      'OUTCOME_UNKNOWN: the commit may or may not have been applied (read before retrying); or INTERNAL, a bug',
    code: 'OUTCOME_UNKNOWN',
    message: 'the database went away while committing: the write may or may not have been applied',
  },
  503: {
    description:
      'The database is unavailable or the pool is exhausted (UNAVAILABLE); retry after Retry-After',
    code: 'UNAVAILABLE',
    message: 'the database is unavailable',
  },
};

/** The name of the shared error body in `components.schemas`. */
export const ERROR_SCHEMA = 'Error';

type Json = Record<string, unknown>;

/** Whether a response schema is `ErrorBody` (src/schemas/common.ts), as @fastify/swagger copied it. */
function isErrorBody(schema: unknown): boolean {
  const s = schema as Json | undefined;
  return s?.description === 'An error' && typeof (s.properties as Json | undefined)?.error === 'object';
}
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** An example value for a schema: its own example, else one built from its properties, format and bounds. */
export function exampleOf(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return null;
  const s = schema as Json;
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.example !== undefined) return s.example;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.const !== undefined) return s.const;
  const options = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(options))
    return exampleOf(options.find((o) => (o as Json)?.type !== 'null') ?? options[0]);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, exampleOf(value)]));
    }
    case 'array':
      return [exampleOf(s.items)];
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? Math.max(s.minimum, 1) : 1;
    case 'boolean':
      return true;
    case 'string':
      if (s.format === 'date-time') return '2024-03-01T09:00:00.000Z';
      if (s.format === 'email') return 'ada@example.com';
      return typeof s.minLength === 'number' && s.minLength > 7 ? 'x'.repeat(s.minLength) : 'string';
    default:
      return null;
  }
}

/**
 * Completes the document @fastify/swagger generated from the routes (changed in place and returned).
 * Throws for an operation `OPERATIONS` does not list.
 */
export function finishDocument<T extends object>(document: T): T {
  const doc = document as Json;
  doc.components ??= {};
  const components = doc.components as Json;
  components.schemas ??= {};
  const schemas = components.schemas as Json;
  const paths = (doc.paths ?? {}) as Record<string, Json>;
  for (const [path, item] of Object.entries(paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const known = OPERATIONS[key];
      if (!known)
        throw new Error(`OpenAPI: ${key} is not listed in OPERATIONS (src/routes/openapi-document.ts)`);
      operation.operationId = known.operationId;
      const responses = (operation.responses ?? {}) as Record<string, Json>;
      for (const [status, response] of Object.entries(responses)) {
        const error = ERRORS[status];
        const media = response.content as Record<string, Json> | undefined;
        const body = media?.['application/json'];
        if (error && body && isErrorBody(body.schema)) {
          schemas[ERROR_SCHEMA] ??= body.schema;
          body.schema = { $ref: `#/components/schemas/${ERROR_SCHEMA}` };
          body.example = { error: { code: error.code, message: error.message } };
          response.description = error.description;
          continue;
        }
        if (response.description === undefined || response.description === 'Default Response')
          response.description = known.success;
        for (const content of Object.values(media ?? {})) {
          if (content.example === undefined && content.examples === undefined)
            content.example = exampleOf(content.schema);
        }
      }
    }
  }
  return document;
}

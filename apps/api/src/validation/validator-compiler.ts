import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { queryCoercer } from './query-coercion.js';

/**
 * Fastify's default Ajv coerces types (`"salary": "5"` would pass) and removes unknown members (`"role":
 * "admin"` would vanish silently). The contract wants both to be a 400, so bodies, params and headers are
 * checked as they are, and query strings, which are text by nature, are converted by `queryCoercer`
 * before the same strict check.
 */
const STRICT: Options = {
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: false,
  allErrors: true,
  strict: true,
};

function makeAjv(): Ajv {
  const ajv = new Ajv(STRICT);
  // `full` checks calendars and clocks (no February 30th, no hour 25), not just the shape.
  addFormats(ajv, { mode: 'full', formats: ['date-time', 'email'] });
  return ajv;
}

/** Builds the validator compiler for one app; each app gets its own Ajv so schemas never clash. */
export function strictValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const ajv = makeAjv();
  return ({ schema, httpPart }) => {
    const validate = ajv.compile(schema as object);
    if (httpPart !== 'querystring') return validate;
    const coerce = queryCoercer(schema);
    return (data: unknown) => {
      const value = coerce(data);
      if (validate(value)) return { value };
      return { error: Object.assign(new Error('invalid query'), { validation: validate.errors ?? [] }) };
    };
  };
}

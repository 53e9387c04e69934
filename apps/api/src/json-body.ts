import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error.js';

/**
 * The deepest nesting of arrays and objects a body may have. The schemas need 2 (a bulk array of
 * employees); 32 leaves room and keeps `JSON.parse` of any body under the 1 MiB limit fast: 200,000 levels
 * cost it 75–220 ms of blocked event loop, for every request.
 */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether `text` nests arrays and objects deeper than `limit` (a top-level object is depth 1). One pass,
 * stopping at the first bracket too deep: brackets inside strings do not count, and a backslash in a
 * string escapes the next character (so `\"` does not end it). Malformed text is not judged here;
 * `JSON.parse` refuses it afterwards.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/**
 * Replaces Fastify's `application/json` parser by one that refuses a body nesting deeper than
 * `MAX_JSON_DEPTH` with a 400 VALIDATION before parsing it, then parses with Fastify's own parser (so
 * empty bodies, malformed JSON and `__proto__` / `constructor.prototype` keys are answered as before).
 * Content types, the body limit (413) and 415s are unchanged.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      const message = `the body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`;
      done(new ApiError(400, 'VALIDATION', message), undefined);
      return;
    }
    parse(request, text, done);
  });
}

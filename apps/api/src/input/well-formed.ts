import type { FastifyRequest } from 'fastify';
import { ApiError } from '../api-error.js';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (code units). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `text` is well-formed UTF-16 (`String.prototype.isWellFormed`, which Node 20's types lack). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * The path of the first string in `value` holding a lone UTF-16 surrogate, or undefined when every string
 * (member names included) is well formed. Such a string cannot be stored faithfully: every backend encodes
 * text as UTF-8, which has no code for a lone surrogate, so it would be stored as U+FFFD while the response
 * echoed the original. `JSON.parse` yields one from an escape such as `"\ud800"`.
 */
export function loneSurrogatePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isWellFormed(value) ? undefined : path || '(the value)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = loneSurrogatePath(value[i], path ? `${path}.${i}` : String(i));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (!isWellFormed(key)) return field;
      const found = loneSurrogatePath(member, field);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * The first query parameter whose raw name or value is not valid UTF-8 percent-encoding (`%ED%A0%80`, the
 * would-be encoding of a lone surrogate, or `%uD800`), or undefined. Fastify's query parser keeps such a
 * sequence as literal text, so a filter would silently search for `%ED%A0%80`; the client meant something
 * else, which is its error to hear about.
 */
export function malformedQueryParameter(url: string): string | undefined {
  const mark = url.indexOf('?');
  if (mark === -1) return undefined;
  for (const pair of url.slice(mark + 1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    try {
      decodeURIComponent(pair.replaceAll('+', ' '));
    } catch {
      let readable: string;
      try {
        readable = decodeURIComponent(name.replaceAll('+', ' '));
      } catch {
        readable = name;
      }
      return readable.slice(0, 100);
    }
  }
  return undefined;
}

function refuse(field: string, message: string): ApiError {
  return new ApiError(400, 'VALIDATION', `${field} ${message}`, [{ field, message }]);
}

/**
 * A `preValidation` hook: refuses, with a 400 VALIDATION naming the field, a body or query holding a lone
 * UTF-16 surrogate, and a query that is not valid UTF-8 percent-encoding, the same way on every backend.
 */
export async function refuseIllFormedText(request: FastifyRequest): Promise<void> {
  const query = malformedQueryParameter(request.url);
  if (query !== undefined) throw refuse(query, 'is not valid UTF-8 percent-encoding');
  const inQuery = loneSurrogatePath(request.query);
  if (inQuery !== undefined) throw refuse(inQuery, 'holds a lone UTF-16 surrogate');
  const inBody = loneSurrogatePath(request.body);
  if (inBody !== undefined) {
    throw refuse(inBody, 'holds a lone UTF-16 surrogate, which no backend can store; send well-formed text');
  }
}

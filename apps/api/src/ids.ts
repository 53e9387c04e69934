import { ApiError } from './api-error.js';

/**
 * Whether an id from a URL could name a stored row at all. berth refuses NUL characters in every stored
 * string (no backend can keep them in text), so such an id names nothing: the answer is a 404, as for any
 * other id that names nothing, and the database is not asked a question it cannot parse.
 */
export function couldBeStoredId(id: string): boolean {
  return !id.includes('\u0000');
}

export function notFound(entity: string, id: string): ApiError {
  // The id is echoed back JSON-quoted and cut short, so a 10 KB or control-character id stays readable.
  const shown = id.length > 100 ? `${id.slice(0, 100)}…` : id;
  return new ApiError(404, 'NOT_FOUND', `${entity} ${JSON.stringify(shown)} not found`);
}

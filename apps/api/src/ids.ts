import { ApiError } from './api-error.js';

/** The 404 for an id that names nothing, whatever its shape. */
export function notFound(entity: string, id: string): ApiError {
  // The id is echoed back JSON-quoted and cut short, so a 10 KB or control-character id stays readable.
  const shown = id.length > 100 ? `${id.slice(0, 100)}…` : id;
  return new ApiError(404, 'NOT_FOUND', `${entity} ${JSON.stringify(shown)} not found`);
}

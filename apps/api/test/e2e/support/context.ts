import type { Database } from '@berth/core';
import type { FastifyInstance } from 'fastify';
import type { Http } from './http.js';

/** What every part of the suite gets once the server is up. Read it inside tests, not at collection. */
export interface SuiteContext {
  /** The backend name `/health` must report. */
  readonly backend: string;
  readonly databaseUrl: string;
  readonly db: Database;
  readonly app: FastifyInstance;
  readonly http: Http;
}

export type GetContext = () => SuiteContext;

import { connect } from '@berth/core';
import type { FastifyInstance } from 'fastify';
import openapiTS, { astToString } from 'openapi-typescript';
import { importAdapter } from '../../src/adapters.js';
import { buildApp } from '../../src/app.js';
import { ENTITIES } from '../../src/entities.js';

/** Where the generated client types are committed, relative to apps/api. */
export const CLIENT_TYPES = 'test/openapi/api-types.ts';

/** The service on an in-memory PGlite, as the OpenAPI tests and the type generator use it. */
export async function startApp(): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const db = await connect('pglite://memory', { entities: ENTITIES, importAdapter });
  await db.ensureSchema();
  const app = await buildApp({ db });
  await app.ready();
  return {
    app,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** The TypeScript types openapi-typescript generates from the document, as committed in CLIENT_TYPES. */
export async function clientTypes(document: object): Promise<string> {
  const ast = await openapiTS(structuredClone(document) as Parameters<typeof openapiTS>[0]);
  return (
    '// Generated from GET /openapi.json by openapi-typescript: `pnpm --filter @berth/api openapi:types`.\n' +
    '// Do not edit; test/openapi/openapi.test.ts fails when this file is not what the document generates.\n' +
    astToString(ast)
  );
}

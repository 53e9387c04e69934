import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { finishDocument } from './openapi-document.js';

/**
 * OpenAPI from the routes' own schemas at `/openapi.json`, and an interactive reference at `/docs` whose
 * assets are served from the installed package, so it works without network access.
 * Must be registered before the routes it documents.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema 2020-12, as TypeBox writes them (numeric exclusiveMinimum, examples).
      openapi: '3.1.0',
      info: {
        title: 'berth API',
        version: '0.1.0',
        license: { name: 'MIT', identifier: 'MIT' },
        description:
          'Employees and users over berth: the same contract on PostgreSQL, MySQL/MariaDB, MongoDB and PGlite. ' +
          'Errors are `{"error":{"code","message","details"?}}`.',
      },
      // Relative: the document is right for whichever host and port serve it (and /docs' "Try it out").
      servers: [{ url: '/', description: 'The server that serves this document' }],
      // No authentication: the service is meant to sit behind the application's own gateway.
      security: [],
      tags: [
        { name: 'employees', description: 'Employees: create, read, change, delete, list, export' },
        { name: 'users', description: 'Users: create, read, change, delete, list' },
        { name: 'departments', description: "Set-based writes and aggregates over a department's employees" },
        { name: 'operations', description: 'Health and metrics for whoever runs the service' },
      ],
    },
    transformObject: (documents) =>
      finishDocument('openapiObject' in documents ? documents.openapiObject : documents.swaggerObject),
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { validatorUrl: null },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI from the routes' own schemas at `/openapi.json`, and an interactive reference at `/docs` whose
 * assets are served from the installed package, so it works without network access.
 * Must be registered before the routes it documents.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'berth API',
        version: '0.1.0',
        description:
          'Employees and users over berth: the same contract on PostgreSQL, MySQL/MariaDB, MongoDB and PGlite. ' +
          'Errors are `{"error":{"code","message","details"?}}`.',
      },
      tags: [{ name: 'employees' }, { name: 'users' }, { name: 'departments' }, { name: 'operations' }],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { validatorUrl: null },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

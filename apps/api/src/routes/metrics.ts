import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Metrics } from '../metrics.js';
import { NoQuery, errorResponses } from '../schemas/common.js';

/** `GET /metrics`: Prometheus text exposition of the pool and HTTP metrics. */
export const metricsRoutes: FastifyPluginAsyncTypebox<{ metrics: Metrics }> = async (app, { metrics }) => {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics: pool gauges, pool acquire time, HTTP requests',
        querystring: NoQuery,
        response: {
          200: {
            description: 'Prometheus text exposition',
            content: {
              'text/plain': {
                schema: {
                  type: 'string',
                  examples: ['# TYPE db_pool_timeouts_total counter\ndb_pool_timeouts_total 0\n'],
                },
              },
            },
          },
          ...errorResponses(400),
        },
      },
    },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Metrics } from '../metrics.js';
import { NoQuery } from '../schemas/common.js';

/** `GET /metrics`: Prometheus text exposition of the pool and HTTP metrics. */
export const metricsRoutes: FastifyPluginAsyncTypebox<{ metrics: Metrics }> = async (app, { metrics }) => {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics: pool gauges, pool acquire time, HTTP requests',
        querystring: NoQuery,
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
};

import { describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import type { Json } from '../support/http.js';

export function operationsTests(ctx: GetContext): void {
  describe('operations', () => {
    it('GET /health answers ok with the backend and the pool state', async () => {
      const { http, backend } = ctx();
      const reply = await http.get('/health');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        status: 'ok',
        backend,
        pool: {
          max: expect.any(Number),
          total: expect.any(Number),
          idle: expect.any(Number),
          inUse: expect.any(Number),
          waiting: expect.any(Number),
        },
      });
      expect(reply.body.pool.max).toBeGreaterThanOrEqual(1);
    });

    it('GET /metrics has the pool gauges, the acquire histogram, timeouts and HTTP metrics', async () => {
      const { http } = ctx();
      await http.get('/employees?limit=1');
      const reply = await http.get('/metrics');
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^text\/plain/);
      for (const name of [
        'db_pool_max',
        'db_pool_total',
        'db_pool_idle',
        'db_pool_in_use',
        'db_pool_waiting',
      ]) {
        expect(reply.text).toMatch(new RegExp(`^${name} \\d+$`, 'm'));
      }
      expect(reply.text).toMatch(/^# TYPE db_pool_acquire_seconds histogram$/m);
      expect(reply.text).toMatch(/^db_pool_acquire_seconds_count [1-9]\d*$/m);
      expect(reply.text).toMatch(/^# TYPE db_pool_timeouts_total counter$/m);
      expect(reply.text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
      // Routes are labelled by pattern, never by raw URL.
      expect(reply.text).toMatch(
        /http_requests_total\{method="GET",route="\/employees",status_code="200"\} \d+/,
      );
    });

    it('GET /openapi.json documents every endpoint', async () => {
      const { http } = ctx();
      const reply = await http.get('/openapi.json');
      expect(reply.status).toBe(200);
      expect(reply.body.openapi).toMatch(/^3\./);
      const paths = Object.keys(reply.body.paths);
      for (const path of [
        '/health',
        '/metrics',
        '/employees',
        '/employees/bulk',
        '/employees/{id}',
        '/departments/{department}/raise',
        '/users',
        '/users/{id}',
      ]) {
        expect(paths).toContain(path);
      }
      expect(Object.keys(reply.body.paths['/employees/{id}'])).toEqual(
        expect.arrayContaining(['get', 'patch', 'delete']),
      );
    });

    it('GET /openapi.json documents Idempotency-Key, Idempotency-Replayed, 409, 422 and OUTCOME_UNKNOWN on every unsafe operation', async () => {
      const { http } = ctx();
      const { paths, components } = (await http.get('/openapi.json')).body;
      expect(components.schemas.Error.properties.error.properties.code.description).toMatch(
        /OUTCOME_UNKNOWN/,
      );
      const unsafe: Array<[string, string, string]> = [
        ['/employees', 'post', '201'],
        ['/employees/bulk', 'post', '201'],
        ['/employees/{id}', 'patch', '200'],
        ['/employees/{id}', 'delete', '204'],
        ['/departments/{department}/raise', 'post', '200'],
        ['/users', 'post', '201'],
        ['/users/{id}', 'patch', '200'],
        ['/users/{id}', 'delete', '204'],
      ];
      for (const [path, method, success] of unsafe) {
        const operation = paths[path][method];
        const header = operation.parameters.find(
          (p: Json) => p.in === 'header' && p.name === 'idempotency-key',
        );
        expect([path, method, header?.required ?? false]).toEqual([path, method, false]);
        expect(header.description).toMatch(/IDEMPOTENCY_KEY_REUSED/);
        expect(Object.keys(operation.responses[success].headers ?? {})).toContain('idempotency-replayed');
        for (const status of ['409', '422', '500', '503']) {
          expect([path, method, status, status in operation.responses]).toEqual([path, method, status, true]);
        }
        // Every error answer is the one shared Error schema, whose code lists OUTCOME_UNKNOWN.
        const error = operation.responses['500'].content['application/json'];
        expect(error.schema).toEqual({ $ref: '#/components/schemas/Error' });
        expect(error.example.error.code).toBe('OUTCOME_UNKNOWN');
      }
    });

    it('GET /docs serves the interactive reference from local assets only', async () => {
      const { http } = ctx();
      const page = await http.get('/docs');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      // Every script and stylesheet is served by the app itself: nothing is fetched from the network.
      const refs = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) {
        expect(ref).not.toMatch(/^(https?:)?\/\//);
        const asset = await http.get(new URL(ref, `${http.base}/docs/`).pathname);
        expect(asset.status, ref).toBe(200);
      }
    });

    it('an unknown route is a 404 in the error format', async () => {
      const { http } = ctx();
      const reply = await http.get('/nothing-here');
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe('NOT_FOUND');
    });
  });
}

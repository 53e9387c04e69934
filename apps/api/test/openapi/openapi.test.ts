import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { FastifyInstance } from 'fastify';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/routes/openapi-document.js';
import type { paths } from './api-types.js';
import { CLIENT_TYPES, clientTypes, startApp } from './document.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Operation = {
  operationId?: string;
  responses: Record<
    string,
    { description: string; content?: Record<string, { schema: object; example?: unknown }> }
  >;
};

describe('the OpenAPI document (GET /openapi.json)', { timeout: 120_000 }, () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let document: {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, object> };
  };
  let base: string;

  beforeAll(async () => {
    ({ app, close } = await startApp());
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    const reply = await fetch(`${base}/openapi.json`);
    expect(reply.status).toBe(200);
    document = (await reply.json()) as typeof document;
  });
  afterAll(() => close?.());

  function operations(): Array<[string, Operation]> {
    return Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map(
        (m) => [`${m.toUpperCase()} ${path}`, item[m]!] as [string, Operation],
      ),
    );
  }

  it('passes a strict validator (swagger-parser, OpenAPI 3.1)', async () => {
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: `${base}/openapi.json`,
      config,
    });
    expect(
      problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`),
    ).toEqual([]);
  });

  it('names every operation with a unique operationId, describes every answer and gives it an example', () => {
    const all = operations();
    expect(all.map(([key]) => key).sort()).toEqual(Object.keys(OPERATIONS).sort());
    const ids = all.map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(all.length);
    for (const [key, op] of all) {
      expect(op.operationId, key).toMatch(/^[a-z][A-Za-z]+$/);
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description, `${key} ${status}`).not.toMatch(/^(Default Response|An error)$/);
        for (const [type, media] of Object.entries(response.content ?? {})) {
          expect(media.example, `${key} ${status} ${type}`).toBeDefined();
        }
      }
    }
  });

  it('describes every error answer by the one shared Error schema, with an example of its body', () => {
    expect(document.components.schemas.Error).toMatchObject({ properties: { error: { type: 'object' } } });
    let errors = 0;
    for (const [key, op] of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400 || key === 'GET /health') continue;
        errors++;
        const json = response.content?.['application/json'];
        expect(json?.schema, `${key} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
        expect(json?.example).toMatchObject({
          error: { code: expect.any(String), message: expect.any(String) },
        });
      }
    }
    expect(errors).toBeGreaterThan(50);
  });

  it(`generates the committed client types (${CLIENT_TYPES}); regenerate with pnpm openapi:types`, async () => {
    const committed = await readFile(
      fileURLToPath(new URL(`../../${CLIENT_TYPES}`, import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(await clientTypes(document));
  });

  it('serves a typed client (openapi-fetch over the generated types) against the running service', async () => {
    const client = createClient<paths>({ baseUrl: base });
    const created = await client.POST('/employees', {
      body: {
        name: 'Ada',
        email: 'ada@example.com',
        department: 'eng',
        salary: 100,
        hiredAt: '2024-03-01T09:00:00Z',
      },
    });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    expect(created.data).toMatchObject({ name: 'Ada', version: 1 });

    const read = await client.GET('/employees/{id}', { params: { path: { id } } });
    expect(read.data?.email).toBe('ada@example.com');
    expect(read.response.headers.get('etag')).toBe('"1"');

    const changed = await client.PATCH('/employees/{id}', {
      params: { path: { id }, header: { 'if-match': '"1"' } },
      body: { salary: 200 },
    });
    expect(changed.data).toMatchObject({ salary: 200, version: 2 });

    const stale = await client.PATCH('/employees/{id}', {
      params: { path: { id }, header: { 'if-match': '"1"' } },
      body: { salary: 300 },
    });
    expect(stale.response.status).toBe(412);
    expect(stale.error?.error.code).toBe('PRECONDITION_FAILED');

    const page = await client.GET('/employees', { params: { query: { department: 'eng', limit: 10 } } });
    expect(page.data?.items.map((e) => e.id)).toEqual([id]);

    const stats = await client.GET('/departments/{department}/stats', {
      params: { path: { department: 'eng' } },
    });
    expect(stats.data).toMatchObject({ count: 1 });

    const missing = await client.GET('/users/{id}', { params: { path: { id: 'nobody' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe('NOT_FOUND');

    const removed = await client.DELETE('/employees/{id}', { params: { path: { id } } });
    expect(removed.response.status).toBe(204);
  });
});

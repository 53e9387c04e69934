import { describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { newEmployee, unique } from '../support/data.js';
import type { Http } from '../support/http.js';
import { allPages } from '../support/pages.js';
import type { Json } from '../support/http.js';

async function countIn(http: Http, department: string): Promise<number> {
  return (await allPages(http, '/employees', { department }, 100)).items.length;
}

export function bulkTests(ctx: GetContext): void {
  describe('POST /employees/bulk: all or nothing', () => {
    it('writes every item: 201 {items}, each with an id and version 1', async () => {
      const { http } = ctx();
      const department = unique('bulk');
      const input = Array.from({ length: 25 }, () => newEmployee({ department }));
      const reply = await http.post('/employees/bulk', input);
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body.items).toHaveLength(25);
      reply.body.items.forEach((item: Json, i: number) => {
        expect(item).toMatchObject({ email: input[i]!.email, version: 1, active: true });
      });
      const { items } = await allPages(http, '/employees', { department }, 10);
      expect(items.map((r: Json) => r.id).sort()).toEqual(reply.body.items.map((r: Json) => r.id).sort());
      const one = await http.get(`/employees/${reply.body.items[7].id}`);
      expect(one.body).toEqual(reply.body.items[7]);
    });

    it('a duplicate inside the batch is a 409 and nothing is written', async () => {
      const { http } = ctx();
      const department = unique('bulk');
      const input = Array.from({ length: 10 }, () => newEmployee({ department }));
      input[9] = { ...input[9]!, email: input[2]!.email };
      const reply = await http.post('/employees/bulk', input);
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe('CONFLICT');
      expect(await countIn(http, department)).toBe(0);
    });

    it('a duplicate of a stored e-mail is a 409 and nothing is written', async () => {
      const { http } = ctx();
      const department = unique('bulk');
      const existing = (await http.post('/employees', newEmployee())).body;
      const input = Array.from({ length: 10 }, () => newEmployee({ department }));
      input[6] = { ...input[6]!, email: existing.email };
      const reply = await http.post('/employees/bulk', input);
      expect(reply.status).toBe(409);
      expect(reply.body.error.details).toEqual([expect.objectContaining({ field: 'email' })]);
      expect(await countIn(http, department)).toBe(0);
    });

    it('one invalid item is a 400 naming it, and nothing is written', async () => {
      const { http } = ctx();
      const department = unique('bulk');
      const cases: Array<[string, Record<string, unknown>]> = [
        ['3.salary', { salary: -1 }],
        ['3.salary', { salary: '10' }],
        ['3.hiredAt', { hiredAt: '2023-02-30T00:00:00Z' }],
        ['3.hiredAt', { hiredAt: '2016-12-31T23:59:60Z' }],
        ['3.id', { id: 'x' }],
        ['3.name', { name: 'a\u0000b' }],
      ];
      for (const [field, patch] of cases) {
        const input: unknown[] = Array.from({ length: 5 }, () => newEmployee({ department }));
        input[3] = { ...(input[3] as object), ...patch };
        const reply = await http.post('/employees/bulk', input);
        expect([field, reply.status]).toEqual([field, 400]);
        expect(reply.body.error.code).toBe('VALIDATION');
        if (!field.endsWith('.name')) {
          expect(reply.body.error.details).toEqual(
            expect.arrayContaining([expect.objectContaining({ field })]),
          );
        }
      }
      expect(await countIn(http, department)).toBe(0);
    });

    it('0 items, 1001 items and a non-array are 400; 1000 items are written', async () => {
      const { http } = ctx();
      const department = unique('bulk');
      expect((await http.post('/employees/bulk', [])).status).toBe(400);
      const tooMany = Array.from({ length: 1001 }, () => newEmployee({ department }));
      const over = await http.post('/employees/bulk', tooMany);
      expect(over.status).toBe(400);
      expect(over.body.error.code).toBe('VALIDATION');
      expect((await http.post('/employees/bulk', newEmployee({ department }))).status).toBe(400);
      expect((await http.post('/employees/bulk', { items: [newEmployee({ department })] })).status).toBe(400);
      expect(await countIn(http, department)).toBe(0);

      const reply = await http.post('/employees/bulk', tooMany.slice(0, 1000));
      expect(reply.status).toBe(201);
      expect(reply.body.items).toHaveLength(1000);
      expect(await countIn(http, department)).toBe(1000);
    });
  });
}

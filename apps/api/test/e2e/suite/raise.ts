import { describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { newEmployee, unique } from '../support/data.js';
import type { Http } from '../support/http.js';
import { allPages } from '../support/pages.js';
import type { Json } from '../support/http.js';

async function staff(http: Http, department: string): Promise<Json[]> {
  return (await allPages(http, '/employees', { department }, 100)).items;
}

async function seed(http: Http, department: string, salaries: number[]): Promise<Json[]> {
  const reply = await http.post(
    '/employees/bulk',
    salaries.map((salary) => newEmployee({ department, salary })),
  );
  expect(reply.status, reply.text).toBe(201);
  return reply.body.items;
}

const raise = (http: Http, department: string, body: unknown) =>
  http.post(`/departments/${encodeURIComponent(department)}/raise`, body);

export function raiseTests(ctx: GetContext): void {
  describe('POST /departments/{department}/raise', () => {
    it('raises every salary of the department by round(salary * (1 + percent/100)), once', async () => {
      const { http } = ctx();
      const department = unique('raise');
      const bystanders = unique('raise_other');
      const salaries = [0, 1, 5, 15, 99_999, 123_457, 50_000];
      const before = await seed(http, department, salaries);
      const untouched = await seed(http, bystanders, [10_000, 20_000]);
      const reply = await raise(http, department, { percent: 12.5 });
      expect(reply.status, reply.text).toBe(200);
      const changed = salaries.filter((s) => Math.round(s * 1.125) !== s).length;
      expect(reply.body).toEqual({ updated: changed });
      const after = await staff(http, department);
      for (const row of before) {
        const now = after.find((r) => r.id === row.id);
        const expected = Math.round(row.salary * (1 + 12.5 / 100));
        expect(now.salary).toBe(expected);
        expect(now.version).toBe(expected === row.salary ? 1 : 2);
      }
      expect(await staff(http, bystanders)).toEqual(untouched);
    });

    it('pages through a large department and writes it in one go', async () => {
      const { http } = ctx();
      const department = unique('raise_big');
      const salaries = Array.from({ length: 1000 }, (_, i) => 10_000 + i);
      await seed(http, department, salaries);
      const reply = await raise(http, department, { percent: 100 });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toEqual({ updated: 1000 });
      const after = await staff(http, department);
      expect(after.map((r) => r.salary).sort((a, b) => a - b)).toEqual(salaries.map((s) => s * 2));
      expect(after.every((r) => r.version === 2)).toBe(true);
    });

    it('a raise past 1,000,000,000 for anyone is a 409 and changes nobody', async () => {
      const { http } = ctx();
      const department = unique('raise_cap');
      await seed(http, department, [100, 200, 950_000_000, 300]);
      const before = await staff(http, department);
      const reply = await raise(http, department, { percent: 10 });
      expect(reply.status).toBe(409);
      expect(reply.body.error.code).toBe('CONFLICT');
      expect(reply.body.error.details).toEqual([expect.objectContaining({ field: 'salary' })]);
      expect(await staff(http, department)).toEqual(before);
      // Exactly at the ceiling is allowed.
      const edge = unique('raise_edge');
      await seed(http, edge, [500_000_000]);
      const ok = await raise(http, edge, { percent: 100 });
      expect(ok.body).toEqual({ updated: 1 });
      expect((await staff(http, edge))[0].salary).toBe(1_000_000_000);
    });

    it('refuses percent outside 0 < percent <= 100 or of the wrong type, changing nothing', async () => {
      const { http } = ctx();
      const department = unique('raise_bad');
      await seed(http, department, [1000, 2000]);
      const before = await staff(http, department);
      for (const body of [
        { percent: 0 },
        { percent: -5 },
        { percent: 100.0001 },
        { percent: 101 },
        { percent: '10' },
        { percent: null },
        {},
        { percent: 10, dryRun: true },
        [{ percent: 10 }],
      ]) {
        const reply = await raise(http, department, body);
        expect([body, reply.status]).toEqual([body, 400]);
        expect(reply.body.error.code).toBe('VALIDATION');
      }
      const text = await http.request('POST', `/departments/${department}/raise`, {
        raw: 'percent=10',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(415);
      expect(await staff(http, department)).toEqual(before);
      expect((await raise(http, department, { percent: 100 })).body).toEqual({ updated: 2 });
    });

    it('rounds the exact product: 100 raised by 0.5% is 101 (100.5, halves up), on every backend', async () => {
      const { http } = ctx();
      const department = unique('raise_exact');
      // In doubles 100 * 1.005 is 100.49999999999999; the contract's round() is of the true product.
      const before = await seed(http, department, [100, 300, 99, 1_000_000]);
      const reply = await raise(http, department, { percent: 0.5 });
      expect(reply.status, reply.text).toBe(200);
      // 99 * 1.005 = 99.495 -> 99: unchanged, not rewritten.
      expect(reply.body).toEqual({ updated: 3 });
      const after = await staff(http, department);
      const salaryOf = (id: string) => after.find((r) => r.id === id);
      expect(before.map((row) => [row.salary, salaryOf(row.id)!.salary, salaryOf(row.id)!.version])).toEqual([
        [100, 101, 2],
        [300, 302, 2],
        [99, 99, 1],
        [1_000_000, 1_005_000, 2],
      ]);
    });

    it('a percent of more than 5 decimal places is a 400 and changes nothing', async () => {
      const { http } = ctx();
      const department = unique('raise_places');
      await seed(http, department, [1000]);
      const before = await staff(http, department);
      const reply = await raise(http, department, { percent: 1.000001 });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('VALIDATION');
      expect(await staff(http, department)).toEqual(before);
      expect((await raise(http, department, { percent: 1.00001 })).body).toEqual({ updated: 1 });
      expect((await staff(http, department))[0].salary).toBe(1010);
    });

    it('a department with nobody in it answers {updated: 0}', async () => {
      const { http } = ctx();
      const reply = await raise(http, unique('raise_empty'), { percent: 5 });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ updated: 0 });
      const odd = await raise(http, "' OR 1=1 --", { percent: 5 });
      expect(odd.body).toEqual({ updated: 0 });
    });
  });
}

import { beforeAll, describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { byKey, newEmployee, unique } from '../support/data.js';
import { allPages } from '../support/pages.js';
import type { Json } from '../support/http.js';

const SORTS = ['name', '-name', 'salary', '-salary', 'hiredAt', '-hiredAt', 'createdAt', '-createdAt'];

export function listTests(ctx: GetContext): void {
  describe('GET /employees: filters, sorts, cursor pagination', () => {
    const department = unique('list');
    const other = unique('list_other');
    let rows: Json[] = [];

    beforeAll(async () => {
      const { http } = ctx();
      // Ties on purpose (names, salaries, hire dates; createdAt within one bulk) so the id tiebreaker matters.
      const names = ['Carla', 'alice', 'Bob', 'bob', 'Carla', 'Zed', 'Émile', 'Bob'];
      const items = Array.from({ length: 37 }, (_, i) =>
        newEmployee({
          department,
          name: names[i % names.length]!,
          salary: [40_000, 55_000, 55_000, 90_000, 0, 1_000_000_000][i % 6]!,
          active: i % 3 !== 0,
          hiredAt: new Date(Date.UTC(2015 + (i % 5), i % 12, 1 + (i % 3))).toISOString(),
        }),
      );
      const first = await http.post('/employees/bulk', items.slice(0, 20));
      expect(first.status, first.text).toBe(201);
      const rest = [];
      for (const item of items.slice(20)) {
        const reply = await http.post('/employees', item);
        expect(reply.status).toBe(201);
        rest.push(reply.body);
      }
      rows = [...first.body.items, ...rest];
      const noise = await http.post('/employees/bulk', [
        newEmployee({ department: other, salary: 55_000 }),
        newEmployee({ department: other, salary: 55_000, active: false }),
      ]);
      expect(noise.status).toBe(201);
    });

    it('department filter returns exactly that department, ordered by id (creation order) by default', async () => {
      const { http } = ctx();
      const { items } = await allPages(http, '/employees', { department }, 100);
      expect(items).toEqual([...rows].sort((a, b) => (a.id < b.id ? -1 : 1)));
    });

    it('active, minSalary and maxSalary filter inclusively and combine', async () => {
      const { http } = ctx();
      const cases: Array<[Record<string, string>, (r: Json) => boolean]> = [
        [{ active: 'true' }, (r) => r.active],
        [{ active: 'false' }, (r) => !r.active],
        [{ minSalary: '55000' }, (r) => r.salary >= 55_000],
        [{ maxSalary: '55000' }, (r) => r.salary <= 55_000],
        [{ minSalary: '55000', maxSalary: '55000' }, (r) => r.salary === 55_000],
        [{ minSalary: '0', maxSalary: '0' }, (r) => r.salary === 0],
        [{ minSalary: '1000000000' }, (r) => r.salary === 1_000_000_000],
        [{ minSalary: '-5', maxSalary: '39999' }, (r) => r.salary === 0],
        [{ minSalary: '90001', maxSalary: '90000' }, () => false],
        [
          { active: 'true', minSalary: '50000', maxSalary: '95000' },
          (r) => r.active && r.salary >= 50_000 && r.salary <= 95_000,
        ],
      ];
      for (const [query, keep] of cases) {
        const { items } = await allPages(http, '/employees', { department, ...query, sort: 'salary' }, 7);
        const expected = rows.filter(keep).sort(byKey('salary'));
        expect([query, items.map((r) => r.id)]).toEqual([query, expected.map((r) => r.id)]);
      }
    });

    it('every sort key, ascending and descending, orders with ties broken by id', async () => {
      const { http } = ctx();
      for (const sort of SORTS) {
        const reply = await http.get(
          `/employees?department=${department}&sort=${encodeURIComponent(sort)}&limit=100`,
        );
        expect(reply.status).toBe(200);
        const expected = [...rows].sort(byKey(sort)).map((r) => r.id);
        expect([sort, reply.body.items.map((r: Json) => r.id)]).toEqual([sort, expected]);
        expect(reply.body.nextCursor).toBeNull();
      }
    });

    it('following nextCursor yields every match exactly once, in order, for every sort and page size', async () => {
      const { http } = ctx();
      for (const sort of [...SORTS, undefined]) {
        for (const limit of [2, 5, 36, 37]) {
          const query: Record<string, string> = { department, ...(sort ? { sort } : {}) };
          const { items, pages } = await allPages(http, '/employees', query, limit);
          const expected = [...rows].sort(byKey(sort ?? 'id')).map((r) => r.id);
          expect([sort, limit, items.map((r) => r.id)]).toEqual([sort, limit, expected]);
          expect(pages).toBe(Math.max(1, Math.ceil(rows.length / limit)));
        }
      }
    });

    it('limit defaults to 20 and goes up to 100', async () => {
      const { http } = ctx();
      const first = await http.get(`/employees?department=${department}`);
      expect(first.body.items).toHaveLength(20);
      expect(typeof first.body.nextCursor).toBe('string');
      const second = await http.get(
        `/employees?department=${department}&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      );
      expect(second.body.items).toHaveLength(17);
      expect(second.body.nextCursor).toBeNull();
      const big = await http.get(`/employees?department=${department}&limit=100`);
      expect(big.body.items).toHaveLength(37);
    });

    it('a cursor only works with the sort it was made for; a tampered one is a 400', async () => {
      const { http } = ctx();
      const page = await http.get(`/employees?department=${department}&sort=name&limit=5`);
      const cursor = page.body.nextCursor as string;
      const wrongSort = await http.get(`/employees?department=${department}&sort=salary&cursor=${cursor}`);
      expect(wrongSort.status).toBe(400);
      expect(wrongSort.body.error.code).toBe('VALIDATION');
      const noSort = await http.get(`/employees?department=${department}&cursor=${cursor}`);
      expect(noSort.status).toBe(400);
      const tampered = `${cursor.slice(0, -2)}${cursor.endsWith('A') ? 'B' : 'A'}A`;
      expect(
        (await http.get(`/employees?department=${department}&sort=name&cursor=${tampered}`)).status,
      ).toBe(400);
      const forged = Buffer.from(JSON.stringify({ s: 'name,id', v: [{ $gt: '' }, 'x'] })).toString(
        'base64url',
      );
      expect((await http.get(`/employees?sort=name&cursor=${forged}`)).status).toBe(400);
    });
  });
}

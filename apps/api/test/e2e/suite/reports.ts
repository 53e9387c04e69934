import { describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { newEmployee, unique } from '../support/data.js';
import type { Http, Json } from '../support/http.js';
import { allPages } from '../support/pages.js';

async function seed(http: Http, department: string, salaries: number[]): Promise<Json[]> {
  const items: Json[] = [];
  for (let i = 0; i < salaries.length; i += 1000) {
    const reply = await http.post(
      '/employees/bulk',
      salaries.slice(i, i + 1000).map((salary) => newEmployee({ department, salary })),
    );
    expect(reply.status, reply.text).toBe(201);
    items.push(...reply.body.items);
  }
  return items;
}

/** The NDJSON body as one object per line; every line, the last included, ends with a newline. */
function ndjson(text: string): Json[] {
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

export function reportTests(ctx: GetContext): void {
  describe('GET /departments/{department}/stats', () => {
    it('counts, sums and averages the salaries of one department only', async () => {
      const { http } = ctx();
      const department = unique('stats');
      await seed(http, department, [1000, 2000, 4500]);
      await seed(http, unique('stats_other'), [999_999]);
      const reply = await http.get(`/departments/${department}/stats`);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toEqual({ department, count: 3, totalSalary: 7500, averageSalary: 2500 });
    });

    it('answers an empty department with zero and a null average', async () => {
      const { http } = ctx();
      const department = unique('stats_empty');
      const reply = await http.get(`/departments/${department}/stats`);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toEqual({ department, count: 0, totalSalary: 0, averageSalary: null });
    });

    it('refuses a query parameter or an over-long department with 400', async () => {
      const { http } = ctx();
      expect((await http.get('/departments/eng/stats?x=1')).status).toBe(400);
      expect((await http.get(`/departments/${'d'.repeat(101)}/stats`)).status).toBe(400);
    });
  });

  describe('GET /employees/export', () => {
    it('streams every match as NDJSON, in the list order, the same rows the list pages give', async () => {
      const { http } = ctx();
      const department = unique('export');
      const salaries = Array.from({ length: 1203 }, (_, i) => (i * 7919) % 100_000);
      await seed(http, department, salaries);
      await seed(http, unique('export_other'), [5]);
      const reply = await http.get(`/employees/export?department=${department}&sort=-salary`);
      expect(reply.status, reply.text.slice(0, 300)).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const lines = ndjson(reply.text);
      const listed = (await allPages(http, '/employees', { department, sort: '-salary' }, 100)).items;
      expect(lines).toHaveLength(1203);
      expect(lines).toEqual(listed);
    });

    it('filters like the list and answers an empty body when nothing matches', async () => {
      const { http } = ctx();
      const department = unique('export_filter');
      await seed(http, department, [100, 200, 300, 400]);
      const reply = await http.get(`/employees/export?department=${department}&minSalary=200&maxSalary=300`);
      expect(reply.status).toBe(200);
      expect(
        ndjson(reply.text)
          .map((e) => e.salary)
          .sort(),
      ).toEqual([200, 300]);
      const none = await http.get(`/employees/export?department=${unique('export_none')}`);
      expect(none.status).toBe(200);
      expect(none.text).toBe('');
    });

    it('refuses paging parameters, unknown parameters and bad sorts with 400 before streaming', async () => {
      const { http } = ctx();
      for (const query of ['limit=5', 'cursor=abc', 'x=1', 'sort=email', 'minSalary=abc']) {
        const reply = await http.get(`/employees/export?${query}`);
        expect(reply.status, query).toBe(400);
        expect(reply.body.error.code, query).toBe('VALIDATION');
      }
    });
  });

  describe('POST /departments/{department}/raise: set-based', () => {
    it('raises a department of more than 1,000 employees at once, each version bumped once', async () => {
      const { http } = ctx();
      const department = unique('raise_huge');
      const size = 1_500;
      await seed(
        http,
        department,
        Array.from({ length: size }, (_, i) => 1000 + i),
      );
      const reply = await http.post(`/departments/${department}/raise`, { percent: 10 });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body).toEqual({ updated: size });
      const stats = await http.get(`/departments/${department}/stats`);
      // sum of round((1000 + i) * 1.1): (1000 + i) * 11 / 10, halves up.
      let total = 0;
      for (let i = 0; i < size; i++) total += Math.floor(((1000 + i) * 11 + 5) / 10);
      expect(stats.body).toMatchObject({ count: size, totalSalary: total });
      const after = (await allPages(http, '/employees', { department }, 100)).items;
      expect(after).toHaveLength(size);
      expect(after.every((e: Json) => e.version === 2)).toBe(true);
    });
  });
}

import { describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { newEmployee, newUser, unique } from '../support/data.js';
import type { Reply } from '../support/http.js';
import type { Json } from '../support/http.js';

/**
 * The scenario berth exists for: many requests at once, interleaved on a small pool, each getting its own
 * correct answer (no row read for another request, no write lost, no pool mix-up).
 */
export function foundingTests(ctx: GetContext): void {
  describe('the founding scenario', () => {
    it('200 interleaved concurrent requests each get their own correct answer', async () => {
      const { http } = ctx();
      const department = unique('founding');
      const seeded = (
        await http.post(
          '/employees/bulk',
          Array.from({ length: 40 }, (_, i) => newEmployee({ department, salary: 10_000 + i })),
        )
      ).body.items as Json[];
      const user = (await http.post('/users', newUser())).body;

      type Check = () => Promise<void>;
      const jobs: Check[] = [];
      const creates = Array.from({ length: 40 }, (_, i) =>
        newEmployee({ department: `${department}_new`, salary: i }),
      );
      for (let i = 0; i < 200; i++) {
        const kind = i % 5;
        if (kind === 0) {
          const input = creates[i / 5]!;
          jobs.push(async () => {
            const r = await http.post('/employees', input);
            expect(r.status, r.text).toBe(201);
            expect(r.body).toMatchObject({ email: input.email, salary: input.salary, version: 1 });
            expect(r.headers.get('location')).toBe(`/employees/${r.body.id}`);
          });
        } else if (kind === 1) {
          const target = seeded[i % 40]!;
          jobs.push(async () => {
            const r = await http.get(`/employees/${target.id}`);
            expect(r.status).toBe(200);
            expect(r.body.id).toBe(target.id);
            expect(r.body.email).toBe(target.email);
          });
        } else if (kind === 2) {
          const limit = 1 + (i % 7);
          jobs.push(async () => {
            const r = await http.get(`/employees?department=${department}&sort=-salary&limit=${limit}`);
            expect(r.status).toBe(200);
            expect(r.body.items).toHaveLength(limit);
            for (const item of r.body.items) expect(item.department).toBe(department);
            // The seeded ids and e-mails never change, whatever PATCHes run meanwhile.
            for (const item of r.body.items)
              expect(seeded.find((s) => s.id === item.id)?.email).toBe(item.email);
          });
        } else if (kind === 3) {
          // Each PATCH targets its own employee (i = 3, 8, ... gives 40 distinct ones).
          const target = seeded[(i - 3) / 5]!;
          const name = `Patched ${i}`;
          jobs.push(async () => {
            const r: Reply = await http.patch(`/employees/${target.id}`, { name }, { 'if-match': '"1"' });
            expect(r.status, r.text).toBe(200);
            expect(r.body).toMatchObject({ id: target.id, name, version: 2, salary: target.salary });
            expect(r.headers.get('etag')).toBe('"2"');
          });
        } else {
          jobs.push(async () => {
            const r = await http.get(`/users/${user.id}`);
            expect(r.status).toBe(200);
            expect(r.body).toEqual(user);
          });
        }
      }
      const results = await Promise.allSettled(jobs.map((job) => job()));
      const failures = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(failures.map((f) => String(f.reason))).toEqual([]);

      for (const [index, target] of seeded.entries()) {
        const r = await http.get(`/employees/${target.id}`);
        expect(r.body).toMatchObject({ name: `Patched ${index * 5 + 3}`, version: 2 });
      }
      const created = await http.get(`/employees?department=${department}_new&limit=100`);
      expect(created.body.items).toHaveLength(40);
    });
  });
}

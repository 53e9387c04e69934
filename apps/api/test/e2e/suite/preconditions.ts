import { describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { newEmployee } from '../support/data.js';

const MALFORMED = ['1', '"abc"', 'W/"1"', '"0"', '"-1"', '"1.5"', '""', '"1", "2"', '"01"', "'1'", '"1'];

export function preconditionTests(ctx: GetContext): void {
  describe('If-Match and concurrent writers', () => {
    it('PATCH with a matching If-Match succeeds; a stale one is a 412 and changes nothing', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      const ok = await http.patch(`/employees/${created.id}`, { salary: 70_000 }, { 'if-match': '"1"' });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('etag')).toBe('"2"');
      const stale = await http.patch(`/employees/${created.id}`, { salary: 1 }, { 'if-match': '"1"' });
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe('PRECONDITION_FAILED');
      const ahead = await http.patch(`/employees/${created.id}`, { salary: 1 }, { 'if-match': '"3"' });
      expect(ahead.status).toBe(412);
      const read = await http.get(`/employees/${created.id}`);
      expect(read.body).toEqual(ok.body);
      // `*` matches any current version.
      const any = await http.patch(`/employees/${created.id}`, { salary: 71_000 }, { 'if-match': '*' });
      expect(any.status).toBe(200);
      expect(any.body.version).toBe(3);
    });

    it('a malformed If-Match is a 400 on PATCH and DELETE, and changes nothing', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      for (const header of MALFORMED) {
        const patch = await http.patch(`/employees/${created.id}`, { salary: 2 }, { 'if-match': header });
        expect([header, patch.status]).toEqual([header, 400]);
        expect(patch.body.error.code).toBe('VALIDATION');
        const remove = await http.delete(`/employees/${created.id}`, { 'if-match': header });
        expect([header, remove.status]).toEqual([header, 400]);
      }
      expect((await http.get(`/employees/${created.id}`)).body).toEqual(created);
    });

    it('DELETE with a stale If-Match is a 412 and keeps the row; with the current one it deletes', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      await http.patch(`/employees/${created.id}`, { salary: 3 });
      const stale = await http.delete(`/employees/${created.id}`, { 'if-match': '"1"' });
      expect(stale.status).toBe(412);
      expect(stale.body.error.code).toBe('PRECONDITION_FAILED');
      expect((await http.get(`/employees/${created.id}`)).status).toBe(200);
      const ok = await http.delete(`/employees/${created.id}`, { 'if-match': '"2"' });
      expect(ok.status).toBe(204);
      expect((await http.get(`/employees/${created.id}`)).status).toBe(404);
    });

    it('twenty concurrent PATCHes from the same version: one 200, nineteen 412, version +1 once', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          http.patch(`/employees/${created.id}`, { salary: 100_000 + i }, { 'if-match': '"1"' }),
        ),
      );
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses).toEqual([200, ...Array(19).fill(412)]);
      const winner = replies.find((r) => r.status === 200)!;
      const read = await http.get(`/employees/${created.id}`);
      expect(read.body.version).toBe(2);
      expect(read.body.salary).toBe(winner.body.salary);
    });

    it('concurrent PATCHes without If-Match never both succeed from one version', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) => http.patch(`/employees/${created.id}`, { salary: 200_000 + i })),
      );
      // A writer that loses every retry gets a 409; each winner has its own version.
      for (const r of replies) expect([200, 409]).toContain(r.status);
      const winners = replies.filter((r) => r.status === 200);
      expect(winners.length).toBeGreaterThan(0);
      const versions = winners.map((r) => r.body.version);
      expect(new Set(versions).size).toBe(versions.length);
      const read = await http.get(`/employees/${created.id}`);
      expect(read.body.version).toBe(1 + winners.length);
    });
  });
}

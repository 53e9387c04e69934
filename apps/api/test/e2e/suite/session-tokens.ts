import { describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { newUser } from '../support/data.js';
import { Http } from '../support/http.js';

/**
 * Replica session tokens (`berth-session`): with replicas, every response to a write names the primary's
 * position, and a request that sends it back reads that write even from a replica that lags. Replay is
 * paused on purpose, so a read that ignored the token would miss the write: no timing involved.
 */
export function sessionTokenTests(
  ctx: GetContext,
  replicas:
    | {
        pauseReplay(): Promise<unknown>;
        resumeReplay(): Promise<unknown>;
        readonly tokenPattern: RegExp;
        readonly foreignToken: string;
      }
    | undefined,
): void {
  describe('session tokens', () => {
    if (!replicas) {
      it('without replicas, no session token is issued, and one sent is ignored', async () => {
        const created = await ctx().http.post('/users', newUser());
        expect(created.status).toBe(201);
        expect(created.headers.get('berth-session')).toBeNull();
        const read = await ctx().http.get(`/users/${created.body.id}`, { 'berth-session': 'anything' });
        expect(read.status).toBe(200);
      });
      return;
    }

    it('a client that sends back its token reads its write through a lagging replica; one without it does not', async () => {
      const base = ctx().http.base;
      await replicas.pauseReplay();
      try {
        const client = new Http(base);
        const created = await client.post('/users', newUser());
        expect(created.status).toBe(201);
        const token = created.headers.get('berth-session');
        expect(token).toMatch(replicas.tokenPattern);
        // Another client, as if through another instance: with the token the write is there.
        const withToken = await new Http(base).get(`/users/${created.body.id}`, { 'berth-session': token! });
        expect(withToken.status).toBe(200);
        // Without it, the read is served by the replica, which has not replayed the write.
        const withoutToken = await new Http(base).get(`/users/${created.body.id}`);
        expect(withoutToken.status).toBe(404);
      } finally {
        await replicas.resumeReplay();
      }
    });

    it('a malformed token is a 400 VALIDATION, before any work', async () => {
      for (const token of ['garbage', replicas.foreignToken, 'postgres.zz/zz', 'mysql.1-2']) {
        const reply = await new Http(ctx().http.base).get('/users?limit=1', { 'berth-session': token });
        expect(reply.status).toBe(400);
        expect(reply.body.error.code).toBe('VALIDATION');
      }
    });
  });
}

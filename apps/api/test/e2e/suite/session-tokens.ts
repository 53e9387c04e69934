import { describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { newUser } from '../support/data.js';
import { Http } from '../support/http.js';

/** What a MongoDB replica-set run shows of the reads the server received (see `ApiSuiteOptions.causal`). */
export interface CausalSessionProbe {
  /** The form of the backend's tokens. */
  readonly tokenPattern: RegExp;
  /** A well-formed token of another backend, refused like a malformed one. */
  readonly foreignToken: string;
  /** The operation time a token names, as `[seconds, increment]`. */
  operationTime(token: string): readonly [number, number];
  /** The `readConcern.afterClusterTime` of the last read of `collection` the server received, if any. */
  lastAfterClusterTime(collection: string): readonly [number, number] | undefined;
}

const notBefore = (a: readonly [number, number], b: readonly [number, number]) =>
  a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);

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
  causal?: CausalSessionProbe,
): void {
  describe('session tokens', () => {
    if (causal) {
      it('on a MongoDB replica set, a write answers a token; a request sending it back reads with afterClusterTime at or past the write', async () => {
        const base = ctx().http.base;
        const created = await new Http(base).post('/users', newUser());
        expect(created.status).toBe(201);
        const token = created.headers.get('berth-session');
        expect(token).toMatch(causal.tokenPattern);
        // Another client, as if through another instance, sends the token back.
        const read = await new Http(base).get(`/users/${created.body.id}`, { 'berth-session': token! });
        expect(read.status).toBe(200);
        const after = causal.lastAfterClusterTime('users');
        expect(after).toBeDefined();
        expect(notBefore(after!, causal.operationTime(token!))).toBe(true);
        // Its answer carries a token at least as far, for the client to keep.
        const answered = read.headers.get('berth-session');
        expect(answered).toMatch(causal.tokenPattern);
        expect(notBefore(causal.operationTime(answered!), causal.operationTime(token!))).toBe(true);
        // A client without a token starts a session of its own: its read waits for nothing.
        const fresh = await new Http(base).get(`/users/${created.body.id}`);
        expect(fresh.status).toBe(200);
        expect(causal.lastAfterClusterTime('users')).toBeUndefined();
      });

      it('a malformed token, or one of another backend, is a 400 VALIDATION, before any work', async () => {
        for (const token of ['garbage', causal.foreignToken, 'mongodb.x.y', 'mongodb.1']) {
          const reply = await new Http(ctx().http.base).get('/users?limit=1', { 'berth-session': token });
          expect(reply.status).toBe(400);
          expect(reply.body.error.code).toBe('VALIDATION');
        }
      });
      return;
    }
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

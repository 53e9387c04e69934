import { errorCode, type HttpClient, type Reply } from '../http.js';
import { create, employee, settle, withStack } from './harness.js';
import { type Figure, PGLITE_IN_PROCESS, SERVER_BACKENDS, type Scenario } from './scenario.js';

/** Rounds per kind of write: each loses one reply. */
const ROUNDS = 3;
/** Attempts a client makes before it gives up on one write. */
const ATTEMPTS = 5;

/** What one write became, by what the client was told and what the database holds afterwards. */
interface Outcome {
  readonly answers: string[];
  /** The client was told it succeeded (2xx), or read back that it had. */
  readonly acknowledged: boolean;
  /** A 503 (retry) answered for a write that had been applied: the lie. */
  readonly retryAfterApplied: number;
}

function answer(reply: Reply | undefined): string {
  if (!reply) return 'no reply';
  const code = errorCode(reply);
  return code ? `${reply.status} ${code}` : String(reply.status);
}

/** Waits as the 503's `Retry-After` says (seconds). */
async function waitAsTold(reply: Reply): Promise<void> {
  const seconds = Number(reply.headers['retry-after'] ?? 1);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds) * 1_000));
}

/**
 * A client that does as it is told: a 2xx is done; a 503 with `Retry-After` is retried after the wait; a
 * 500 `OUTCOME_UNKNOWN` is never retried blindly: the client reads back, and retries only when the
 * read-back says the write is not there. `applied()` reads the database's state through the API.
 */
async function asToldClient(send: () => Promise<Reply>, applied: () => Promise<boolean>): Promise<Outcome> {
  const answers: string[] = [];
  let retryAfterApplied = 0;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const reply = await settle(send());
    answers.push(answer(reply));
    if (reply && reply.status >= 200 && reply.status < 300) {
      return { answers, acknowledged: true, retryAfterApplied };
    }
    if (reply?.status === 503 && reply.headers['retry-after'] !== undefined) {
      if (await applied()) retryAfterApplied++;
      await waitAsTold(reply);
      continue;
    }
    if (reply?.status === 500 && errorCode(reply) === 'OUTCOME_UNKNOWN') {
      if (await applied())
        return { answers: [...answers, 'read back: applied'], acknowledged: true, retryAfterApplied };
      answers.push('read back: not applied');
      continue;
    }
    break;
  }
  return { answers, acknowledged: false, retryAfterApplied };
}

/**
 * A client with an Idempotency-Key: every retry carries the same key, so it may retry whatever it was told
 * (a 503, no reply at all): the API replays the first response of a write that was applied.
 */
async function keyedClient(send: (key: string) => Promise<Reply>, key: string): Promise<Outcome> {
  const answers: string[] = [];
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const reply = await settle(send(key));
    answers.push(answer(reply) + (reply?.headers['idempotency-replayed'] === 'true' ? ' (replayed)' : ''));
    if (reply && reply.status >= 200 && reply.status < 300) {
      return { answers, acknowledged: true, retryAfterApplied: 0 };
    }
    if (reply && reply.status !== 503) break;
    if (reply) await waitAsTold(reply);
  }
  return { answers, acknowledged: false, retryAfterApplied: 0 };
}

async function salaryOf(http: HttpClient, id: string): Promise<number | undefined> {
  const reply = await http.request('GET', `/employees/${id}`);
  return reply.status === 200 ? (reply.json as { salary: number }).salary : undefined;
}

async function storedIn(http: HttpClient, department: string): Promise<number> {
  const reply = await http.request(
    'GET',
    `/employees?department=${encodeURIComponent(department)}&limit=100`,
  );
  return (reply.json as { items?: unknown[] } | undefined)?.items?.length ?? -1;
}

/**
 * A COMMIT (and a lone INSERT) executed by the server whose reply the network loses: the proxy forwards it,
 * waits for the server's answer, then resets both sockets without delivering it. Clients do as told (503
 * `Retry-After` → retry; 500 `OUTCOME_UNKNOWN` → read back, never retry blindly). Bounds: 0 writes
 * applied twice (the 10 % raise that became 21 %), 0 acknowledged writes lost, and 0 503s
 * answered for a write that had been applied (the POST that stored its row behind a 503).
 * Then the same with an Idempotency-Key on every request: with a key a write and its key's record commit
 * together, so the client retries whatever it is told with the same key, and the figure is the same.
 */
export const commitReplyLost: Scenario = {
  name: 'commit reply lost',
  backends: SERVER_BACKENDS,
  notApplicable: {
    pglite: `${PGLITE_IN_PROCESS}: there is no connection between the app and its database whose reply could be lost`,
  },
  async run(context): Promise<Figure> {
    const { backend, tag } = context;
    // An acquire deadline of seconds, not the suite's 300 ms: this scenario is about outcomes, not timing, and
    // the resolution of a lost reply (terminate the old session, wait until it is gone, ask) runs within it.
    return withStack(context, { acquireTimeoutMs: 2_000 }, async ({ api, http, proxy }) => {
      if (!proxy) throw new Error('this scenario needs the proxy in front of the database');
      // The text the proxy watches for: the SQL, or the BSON command name (a key between control bytes).
      const commitPattern = backend === 'mongodb' ? /commitTransaction/ : /COMMIT/;
      const insertPattern = backend === 'mongodb' ? /\binsert\b/ : /INSERT INTO/;
      // The raise is one set-based UPDATE: on PostgreSQL a lone statement, whose reply is its commit's; on
      // MySQL/MariaDB and MongoDB a locking read and the update in one transaction, ended by its COMMIT.
      const raisePattern = backend === 'postgres' ? /UPDATE "employees"/ : commitPattern;
      let doubled = 0;
      let lost = 0;
      let lied = 0;
      let dropped = 0;
      const raises: string[] = [];
      const posts: string[] = [];

      for (let round = 0; round < ROUNDS; round++) {
        // The raise: 1000 → 1100; a blind retry of an applied raise would make it 1210.
        const department = `${tag}-raise-${round}`;
        const seeded = await create(http, tag, 100 + round, { department, salary: 1000 });
        const fired = proxy.dropNextReply(raisePattern).then(() => {
          dropped++;
        });
        const raise = await asToldClient(
          () => http.json('POST', `/departments/${encodeURIComponent(department)}/raise`, { percent: 10 }),
          async () => (await salaryOf(http, seeded.id)) !== 1000,
        );
        const salary = await salaryOf(http, seeded.id);
        if (salary !== undefined && salary > 1100) doubled++;
        if (raise.acknowledged && salary === 1000) lost++;
        lied += raise.retryAfterApplied;
        raises.push(`${raise.answers.join(' → ')} = ${salary}`);
        void fired;

        // A POST: one lone INSERT whose reply is lost.
        const postDepartment = `${tag}-post-${round}`;
        const body = employee(tag, 200 + round, { department: postDepartment });
        const insertFired = proxy.dropNextReply(insertPattern).then(() => {
          dropped++;
        });
        const post = await asToldClient(
          () => http.json('POST', '/employees', body),
          async () => (await storedIn(http, postDepartment)) > 0,
        );
        const stored = await storedIn(http, postDepartment);
        if (stored > 1) doubled++;
        if (post.acknowledged && stored === 0) lost++;
        lied += post.retryAfterApplied;
        posts.push(`${post.answers.join(' → ')} = ${stored} row`);
        void insertFired;
      }

      // The same with an Idempotency-Key: both writes then run in a transaction with the key's record, so the
      // reply lost is the COMMIT's.
      for (let round = 0; round < ROUNDS; round++) {
        const department = `${tag}-keyed-raise-${round}`;
        const seeded = await create(http, tag, 300 + round, { department, salary: 1000 });
        const fired = proxy.dropNextReply(commitPattern).then(() => {
          dropped++;
        });
        const raise = await keyedClient(
          (key) =>
            http.json(
              'POST',
              `/departments/${encodeURIComponent(department)}/raise`,
              { percent: 10 },
              { headers: { 'idempotency-key': key } },
            ),
          `${tag}-raise-${round}`,
        );
        const salary = await salaryOf(http, seeded.id);
        if (salary !== undefined && salary > 1100) doubled++;
        if (raise.acknowledged && salary === 1000) lost++;
        raises.push(`keyed: ${raise.answers.join(' → ')} = ${salary}`);
        void fired;

        const postDepartment = `${tag}-keyed-post-${round}`;
        const body = employee(tag, 400 + round, { department: postDepartment });
        const commitFired = proxy.dropNextReply(commitPattern).then(() => {
          dropped++;
        });
        const post = await keyedClient(
          (key) => http.json('POST', '/employees', body, { headers: { 'idempotency-key': key } }),
          `${tag}-post-${round}`,
        );
        const stored = await storedIn(http, postDepartment);
        if (stored > 1) doubled++;
        if (post.acknowledged && stored === 0) lost++;
        posts.push(`keyed: ${post.answers.join(' → ')} = ${stored} row`);
        void commitFired;
      }

      // The honest answers are a success, a 503 (nothing was written) and 500 OUTCOME_UNKNOWN; any other
      // 5xx (a 500 INTERNAL) is an error berth or the app failed to classify.
      const unclassified = [...raises, ...posts].filter((a) =>
        /\b5\d\d (?!OUTCOME_UNKNOWN|UNAVAILABLE)/.test(a),
      );
      const logged = unclassified.length
        ? ` (the app logged: ${api.loggedErrors().slice(0, 2).join(' ; ')})`
        : '';
      const figure =
        `${dropped}/${4 * ROUNDS} replies lost; ${doubled} applied twice, ${lost} acknowledged lost, ` +
        `${lied} 503s for applied writes, ${unclassified.length} unclassified 5xx; ` +
        `raises: ${raises.join('; ')}; posts: ${posts.join('; ')}${logged}`;
      return {
        scenario: this.name,
        backend,
        figure,
        held:
          dropped === 4 * ROUNDS && doubled === 0 && lost === 0 && lied === 0 && unclassified.length === 0,
      };
    });
  },
};

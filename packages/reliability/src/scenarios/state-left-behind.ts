import { sleep } from '../server-control.js';
import { employee, settle, withStack } from './harness.js';
import { CONFIG, type Figure, type Scenario, ms } from './scenario.js';

/**
 * State left behind: units of work that fail at their last statement (a unique conflict), statements
 * cancelled by the statement timeout inside a transaction, and clients that hang up mid-request, leave
 * connections that had an open, aborted or cancelled transaction. Later requests must inherit none of
 * it: every acknowledged write committed (a foreign session sees it at once), none failing, no
 * transaction left open on the server, and the session's statement timeout still in force.
 */
export const stateLeftBehind: Scenario = {
  name: 'state left behind',
  backends: ['postgres', 'mysql'],
  notApplicable: {
    mongodb:
      'needs a foreign session that locks the collection, sees commits and lists open transactions: ' +
      'the MongoDB test server offers none of them',
    pglite:
      'needs a foreign session that locks the table, sees commits and lists open transactions: PGlite runs ' +
      "inside the app with one connection, so there is no session but the app's",
  },
  async run(context): Promise<Figure> {
    const { control, tag, backend } = context;
    return withStack(context, { poolMax: 2 }, async ({ http }) => {
      const taken = await http.json('POST', '/employees', employee(tag, 0, { department: `${tag}-raise` }));
      if (taken.status !== 201) throw new Error(`seeding failed: ${taken.status}`);
      // 1. Units of work that fail at their last row: everything before it was written in the transaction.
      let conflicts = 0;
      for (let i = 0; i < 6; i++) {
        const rows = Array.from({ length: 20 }, (_, j) => employee(`${tag}-b${i}`, j));
        rows.push(employee(tag, 0));
        if ((await http.json('POST', '/employees/bulk', rows)).status === 409) conflicts++;
      }
      // 2. Transactions whose statement is cancelled by the statement timeout, behind a foreign lock, and
      // 3. clients that hang up while their unit of work is blocked.
      const lock = await control.lockEmployees();
      const cancelled = await Promise.all(
        Array.from({ length: 2 }, () =>
          settle(http.json('POST', `/departments/${tag}-raise/raise`, { percent: 10 })),
        ),
      );
      const abort = new AbortController();
      const hungUp = Array.from({ length: 2 }, (_, i) =>
        settle(http.json('POST', '/employees', employee(`${tag}-h`, i), { signal: abort.signal })),
      );
      await sleep(200);
      abort.abort();
      await Promise.all(hungUp);
      await sleep(CONFIG.statementTimeoutMs);
      await lock.release();
      await sleep(200);

      // Later requests: each acknowledged write must be committed, as a foreign session sees it.
      let failed = 0;
      let uncommitted = 0;
      for (let i = 0; i < 20; i++) {
        const reply = await settle(http.json('POST', '/employees', employee(`${tag}-after`, i)));
        if (reply?.status !== 201) {
          failed++;
          continue;
        }
        if (!(await control.employeeCommitted((reply.json as { id: string }).id))) uncommitted++;
      }
      await sleep(100);
      const openTx = await control.openTransactions();
      // The session setting berth relies on is still there: a blocked statement is cancelled in time.
      const lock2 = await control.lockEmployees();
      const probe = await settle(http.json('POST', '/employees', employee(`${tag}-probe`, 0)));
      await lock2.release();
      const probeMs = probe ? probe.endedAt - probe.startedAt : Number.POSITIVE_INFINITY;
      const timeoutKept = probe?.status === 503 && probeMs <= CONFIG.statementTimeoutMs * 1.1;
      const figure =
        `left behind: ${conflicts} failed units, ${cancelled.filter((r) => r?.status === 503).length} cancelled, 2 hung up; ` +
        `later: ${failed}/20 failed, ${uncommitted} acknowledged but uncommitted, ${openTx} transactions open; ` +
        `statement timeout kept: ${probe?.status ?? 'no answer'} after ${ms(probeMs)} (bound ${ms(CONFIG.statementTimeoutMs * 1.1)})`;
      return {
        scenario: this.name,
        backend,
        figure,
        held: failed === 0 && uncommitted === 0 && openTx === 0 && timeoutKept,
      };
    });
  },
};

import { errorCode } from '../http.js';
import { LoadGenerator } from '../load/generator.js';
import { AckLedger } from '../load/ledger.js';
import { unexpectedOutcomes } from '../load/outcome-breakdown.js';
import { sleep } from '../server-control.js';
import { employee, settle, until, withStack } from './harness.js';
import {
  CONFIG,
  type Figure,
  SERVER_BACKENDS,
  type Scenario,
  type ScenarioContext,
  ms,
  PGLITE_IN_PROCESS,
} from './scenario.js';

const BLACKHOLE_MS = 20_000;

/** Makes the app's writes block server-side; resolves with how to unblock them. */
export async function block(context: ScenarioContext): Promise<() => Promise<void>> {
  if (context.backend === 'mongodb') {
    const server = (
      context.control as unknown as { server: import('@berth/mongo-test-server').MongoTestServer }
    ).server;
    server.setCommandDelay(200, { commands: ['insert'] });
    return async () => server.setCommandDelay(0);
  }
  const lock = await context.control.lockEmployees();
  return () => lock.release();
}

/**
 * A blackhole for 20 s, then healed: writes in flight are answered 500 OUTCOME_UNKNOWN (they may have been
 * applied) within the statement timeout + 10 % plus the acquire deadline of the attempt to resolve them, new
 * requests are answered 503 within the acquire deadline (+ 100 ms), the first success comes within 1 s of
 * healing, and no zombie connections are left (server-side connections beyond the app's pool, or
 * transactions left open).
 */
export const blackhole: Scenario = {
  name: 'blackhole 20 s, then healed',
  backends: SERVER_BACKENDS,
  notApplicable: { pglite: `${PGLITE_IN_PROCESS}, so there is no network between them to cut` },
  async run(context): Promise<Figure> {
    const { control, tag, backend } = context;
    return withStack(context, {}, async ({ api, proxy, http }) => {
      // Warm the pool, then put statements surely in flight (blocked behind a foreign lock; MongoDB: inserts
      // the test server delays) and cut the network under them; the lock goes away behind the cut.
      await Promise.all(
        Array.from({ length: CONFIG.poolMax }, () => settle(http.request('GET', '/employees?limit=1'))),
      );
      const release = await block(context);
      const inFlight = Array.from({ length: 2 }, (_, i) =>
        settle(http.json('POST', '/employees', employee(tag, i))),
      );
      await sleep(100);
      await proxy!.setMode('blackhole');
      const cutAt = performance.now();
      await release();
      // New requests while the network is down: 503 within the acquire deadline.
      const load = new LoadGenerator(http, new AckLedger(), {
        rate: 10,
        tag: `${tag}-bh`,
        mix: { create: 30, list: 70 },
      });
      load.start();
      const flights = await Promise.all(inFlight);
      const statementBound = CONFIG.statementTimeoutMs * 1.1;
      // The writes in flight were sent, and the server runs them once the lock goes: whether they committed is
      // unknown, so the honest answer is 500 OUTCOME_UNKNOWN (never a 503 inviting a retry), after the
      // statement bound and one attempt to ask the database on a fresh connection (the acquire deadline).
      const flightBound = statementBound + CONFIG.acquireTimeoutMs + 100;
      const flightTimes = flights.map((r) => (r ? r.endedAt - r.startedAt : Number.POSITIVE_INFINITY));
      const flightsFailed = flights.every(
        (r) => r !== undefined && r.status === 500 && errorCode(r) === 'OUTCOME_UNKNOWN',
      );

      await sleep(BLACKHOLE_MS - (performance.now() - cutAt));
      const during = load.outcomes.filter((o) => o.startedAt >= cutAt + statementBound);
      const acquireBound = CONFIG.acquireTimeoutMs + 100;
      const slowestOutcome = during.reduce<(typeof during)[number] | undefined>(
        (a, o) => (!a || o.endedAt - o.startedAt > a.endedAt - a.startedAt ? o : a),
        undefined,
      );
      const slowest = slowestOutcome ? slowestOutcome.endedAt - slowestOutcome.startedAt : 0;
      const slowestWhat = slowestOutcome
        ? ` (${slowestOutcome.op} ${slowestOutcome.status}, started +${((slowestOutcome.startedAt - cutAt) / 1000).toFixed(1)} s)`
        : '';
      const during503 = during.filter((o) => o.status === 503).length;
      // What the others were (status, code, route, when after the cut, how long), so a log says why.
      const notUnavailable = unexpectedOutcomes(during, 503, cutAt);

      await proxy!.heal();
      const healedAt = performance.now();
      await sleep(2_000);
      await load.stop();
      const firstOk = load.outcomes
        .filter((o) => o.endedAt >= healedAt && o.status >= 200 && o.status < 300)
        .map((o) => o.endedAt - healedAt);
      const firstSuccess = firstOk.length ? Math.min(...firstOk) : Number.POSITIVE_INFINITY;

      // Zombies: after the pool settles, the server must hold no connection the app does not, and no
      // transaction left open.
      let zombies = Number.NaN;
      let openTx = Number.NaN;
      let serverSide = Number.NaN;
      let appTotal = Number.NaN;
      await until(
        async () => {
          const pool = await api.pool();
          serverSide = await control.appConnections();
          openTx = await control.openTransactions();
          appTotal = pool?.total ?? Number.NaN;
          // MongoDB's count includes the driver's monitoring connections (up to two).
          const allowance = backend === 'mongodb' ? 2 : 0;
          zombies = Math.max(0, serverSide - appTotal - allowance) + openTx;
          return zombies === 0;
        },
        5_000,
        250,
      );
      const figure =
        `in flight failed after ${flightTimes.map(ms).join(', ')} (bound ${ms(flightBound)}; answered ${flights.map((r) => (r ? `${r.status} ${errorCode(r) ?? ''}`.trim() : 'nothing')).join(', ')}); ` +
        `during: ${during503}/${during.length} 503${notUnavailable ? ` (non-503: ${notUnavailable})` : ''}, slowest ${ms(slowest)}${slowest > acquireBound ? slowestWhat : ''} (bound ${ms(acquireBound)}); ` +
        `first success ${ms(firstSuccess)} after healing (bound 1000 ms); ` +
        `zombies ${zombies} (server ${serverSide}, pool ${appTotal}, open transactions ${openTx})`;
      const held =
        flightsFailed &&
        Math.max(...flightTimes) <= flightBound &&
        during.length > 0 &&
        during503 === during.length &&
        slowest <= acquireBound &&
        firstSuccess <= 1_000 &&
        zombies === 0;
      const logged = held ? [] : api.loggedErrors().slice(0, 3);
      return {
        scenario: this.name,
        backend,
        figure: logged.length ? `${figure}; the app logged: ${logged.join(' ; ')}` : figure,
        held,
      };
    });
  },
};

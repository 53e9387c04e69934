import { LoadGenerator, summarize } from '../load/generator.js';
import { AckLedger } from '../load/ledger.js';
import { sleep } from '../server-control.js';
import { withStack } from './harness.js';
import { type Figure, SERVER_BACKENDS, type Scenario, ms, PGLITE_IN_PROCESS } from './scenario.js';

/**
 * The database restarted under load (50 requests/s of mixed reads and writes): first success within 1 s of
 * the server accepting again, 0 acknowledged writes lost, the pool never stuck.
 *
 * A write whose connection the restart cut after the server may have applied it has an unknown outcome
 * when the backend cannot be asked afterwards (the MongoDB test server forgets its retryable-write
 * sessions on restart, so the driver's one retry cannot settle it): its honest answer is
 * 500 OUTCOME_UNKNOWN. That answer is accepted only for writes in flight while the server was away (sent
 * before it accepted again, answered after it began to stop: a write sent into a connection that then
 * hangs cannot be told from one the server received); any other 5xx, or an unknown for a request sent
 * once the server was back, fails the scenario.
 */
export const restartUnderLoad: Scenario = {
  name: 'database restarted under load',
  backends: SERVER_BACKENDS,
  notApplicable: {
    pglite: `${PGLITE_IN_PROCESS}, so it cannot restart without the app (the app restarting is the SIGTERM scenario)`,
  },
  async run(context): Promise<Figure> {
    const { control, tag, backend } = context;
    return withStack(context, {}, async ({ api, proxy, http }) => {
      const ledger = new AckLedger();
      const load = new LoadGenerator(http, ledger, { rate: 50, tag });
      load.start();
      await sleep(3_000);
      const restart = await control.restart(proxy!, 2_000);
      await sleep(4_000);
      await load.stop();
      const after = load.outcomes.filter(
        (o) => o.endedAt >= restart.acceptingAt && o.status >= 200 && o.status < 300,
      );
      const firstSuccess = after.length
        ? Math.min(...after.map((o) => o.endedAt)) - restart.acceptingAt
        : Number.POSITIVE_INFINITY;
      // Never stuck: the last 2 s of load all served, and the pool idle afterwards.
      const tail = load.outcomes.filter((o) => o.startedAt >= restart.acceptingAt + 2_000);
      const tailFailed = tail.filter((o) => o.status < 200 || o.status >= 300).length;
      const pool = await api.pool();
      const stuck = tailFailed > 0 || !pool || pool.waiting !== 0 || pool.inUse !== 0;
      const check = await ledger.verify(http);
      const totals = summarize(load.outcomes);
      const honestUnknown = (o: (typeof load.outcomes)[number]) =>
        o.status === 500 &&
        o.code === 'OUTCOME_UNKNOWN' &&
        (o.op === 'create' || o.op === 'update') &&
        o.startedAt <= restart.acceptingAt &&
        o.endedAt >= restart.stoppingAt;
      const unknown = load.outcomes.filter(honestUnknown).length;
      const otherServerErrors = totals.serverErrors - unknown;
      const odd = load.outcomes.find(
        (o) => o.status === 0 || (o.status >= 500 && o.status !== 503 && !honestUnknown(o)),
      );
      const logged = totals.serverErrors ? api.loggedErrors().slice(0, 2).join(' ; ') : '';
      const oddText = odd
        ? ` (e.g. ${odd.op} ${odd.status} ${odd.code ?? odd.error ?? ''}${logged ? `; the app logged: ${logged}` : ''})`
        : '';
      const figure =
        `${restart.how} restart: first success ${ms(firstSuccess)} after accepting (bound 1000 ms); ` +
        `${check.lost}/${check.acknowledged} acknowledged writes lost${check.examples.length ? ` (${check.examples[0]})` : ''}; ` +
        `last 2 s ${tail.length - tailFailed}/${tail.length} ok, pool ${pool ? `waiting ${pool.waiting} inUse ${pool.inUse}` : 'unhealthy'}; ` +
        `${totals.total} requests: ${totals.ok} ok, ${totals.unavailable} 503, ` +
        `${unknown} 500 OUTCOME_UNKNOWN (writes in flight while it was away), ` +
        `${otherServerErrors} other 5xx, ${totals.noAnswer} unanswered${oddText}`;
      const held =
        firstSuccess <= 1_000 &&
        check.lost === 0 &&
        !stuck &&
        otherServerErrors === 0 &&
        totals.noAnswer === 0;
      return { scenario: this.name, backend, figure, held };
    });
  },
};

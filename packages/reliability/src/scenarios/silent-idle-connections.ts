import { POOL_DEFAULTS } from '@berth/core';
import type { Reply } from '../http.js';
import { is2xx, settle, until, withStack } from './harness.js';
import { type Figure, PGLITE_IN_PROCESS, SERVER_BACKENDS, type Scenario, ms } from './scenario.js';

/** The brief's setting: library defaults (5 s acquire deadline, 1 s validation timeout), a pool of 2. */
const POOL_MAX = 2;
const BOUND_MS = 1_000 + POOL_DEFAULTS.validationTimeoutMs;
const REQUEST_EVERY_MS = 50;

/**
 * Silent network loss of idle connections: the pool's connections sit idle past `validateAfterIdleMs`, then
 * the network drops their flows without a FIN or an RST (a NAT, a failover behind a virtual IP) while new
 * connections work. Requests every 50 ms: the first success within 1 s + the validation timeout of the
 * loss, no 5xx but 503, no request unanswered, and every request of the last second served.
 */
export const silentIdleConnections: Scenario = {
  name: 'silent network loss of idle connections',
  backends: SERVER_BACKENDS,
  notApplicable: {
    pglite: `${PGLITE_IN_PROCESS}, so there is no network to lose`,
  },
  async run(context): Promise<Figure> {
    const { control } = context;
    const options = { poolMax: POOL_MAX, acquireTimeoutMs: POOL_DEFAULTS.acquireTimeoutMs };
    return withStack(context, options, async ({ api, proxy, http }) => {
      if (!proxy) throw new Error('this scenario needs the proxy');
      const get = () => settle(http.request('GET', '/employees?limit=5'));
      // Open both connections (the server sees them), then let them sit idle past validateAfterIdleMs.
      const filled = await until(async () => {
        await Promise.all(Array.from({ length: POOL_MAX }, get));
        return (await control.appConnections()) >= POOL_MAX;
      }, 10_000);
      if (filled === undefined)
        throw new Error(`the pool never filled (${await control.appConnections()} on the server)`);
      await new Promise((r) => setTimeout(r, POOL_DEFAULTS.validateAfterIdleMs + 200));
      const silenced = proxy.silenceOpen();
      const lostAt = performance.now();

      const sent: Array<Promise<{ reply: Reply | undefined; at: number; sentAt: number }>> = [];
      let firstSuccess: number | undefined;
      while (performance.now() - lostAt < BOUND_MS + 3_000) {
        const sentAt = performance.now();
        sent.push(
          get().then((reply) => {
            const at = performance.now();
            if (is2xx(reply) && firstSuccess === undefined) firstSuccess = at;
            return { reply, at, sentAt };
          }),
        );
        await new Promise((r) => setTimeout(r, REQUEST_EVERY_MS));
      }
      const outcomes = await Promise.all(sent);
      const failed = outcomes.filter((o) => !is2xx(o.reply));
      const serverErrors = failed.filter(
        (o) => o.reply === undefined || (o.reply.status >= 500 && o.reply.status !== 503),
      ).length;
      const lastSecond = outcomes.filter((o) => o.sentAt - lostAt > BOUND_MS + 2_000);
      const lastSecondServed = lastSecond.every((o) => is2xx(o.reply));
      const first = firstSuccess === undefined ? Number.POSITIVE_INFINITY : firstSuccess - lostAt;
      const crashed = api.exit !== undefined;
      const held = !crashed && first <= BOUND_MS && serverErrors === 0 && lastSecondServed;
      const figure =
        `${silenced} connection(s) silenced: first success after ${ms(first)} (bound ${ms(BOUND_MS)}), ` +
        `${failed.length}/${outcomes.length} request(s) not served, ${serverErrors} answered 5xx other than 503 or not at all (bound 0), ` +
        `last second ${lastSecondServed ? 'all served' : 'NOT all served'}` +
        (crashed ? `, CRASHED (exit ${api.exit?.code ?? api.exit?.signal})` : '') +
        (failed.length
          ? `; failed with: ${[...new Set(failed.map((o) => (o.reply ? `${o.reply.status} ${o.reply.text.slice(0, 120)}` : 'no answer')))].slice(0, 2).join(' ; ')}`
          : '');
      return { scenario: this.name, backend: context.backend, figure, held };
    });
  },
};

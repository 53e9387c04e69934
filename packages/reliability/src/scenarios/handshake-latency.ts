import { sleep } from '../server-control.js';
import { is2xx, percentile, settle, until, withStack } from './harness.js';
import { CONFIG, type Figure, SERVER_BACKENDS, type Scenario, ms } from './scenario.js';

/** The adapters' default connect timeout (`DriverOptions.connectTimeoutMs`); the app does not change it. */
const CONNECT_TIMEOUT_MS = 5_000;
const LATENCY_MS = 200;

/**
 * A handshake that never completes: the request is answered 503 within the acquire deadline, the
 * connect attempt is abandoned within its timeout (+10 %) and frees its slot (a request succeeds once
 * the network is back). Then 200 ms of added latency: no spurious timeouts.
 */
export const handshakeAndLatency: Scenario = {
  name: 'hanging handshake; 200 ms latency',
  backends: SERVER_BACKENDS,
  async run(context): Promise<Figure> {
    const { control, backend } = context;
    const hang = await withStack(context, { poolMax: 2 }, async ({ proxy, http }) => {
      // Empty the pool, then make every new connection hang in its handshake.
      await proxy!.setMode('hang');
      await control.killAppConnections();
      proxy!.resetAll();
      await sleep(100);
      const hangAt = performance.now();
      const firstHung = proxy!.records.length;
      const replies = await Promise.all([0, 1].map(() => settle(http.request('GET', '/employees?limit=1'))));
      const answered = replies.map((r) => (r ? r.endedAt - r.startedAt : Number.POSITIVE_INFINITY));
      const refused = replies.every((r) => r?.status === 503);
      await proxy!.heal();
      // The slot comes back when the hung attempt gives up: a request then succeeds.
      const servedAt = await until(
        async () => is2xx(await settle(http.request('GET', '/employees?limit=1'))),
        20_000,
        100,
      );
      const hung = proxy!.records.slice(firstHung).filter((r) => r.acceptedIn === 'hang');
      const gaveUp = hung.map((r) => (r.clientClosedAt ?? Number.POSITIVE_INFINITY) - r.acceptedAt);
      const slowestGiveUp = Math.max(0, ...gaveUp);
      const freedAfter = servedAt === undefined ? Number.POSITIVE_INFINITY : servedAt - hangAt;
      const connectBound = CONNECT_TIMEOUT_MS * 1.1;
      const held =
        refused &&
        Math.max(...answered) <= CONFIG.acquireTimeoutMs + 100 &&
        hung.length > 0 &&
        slowestGiveUp <= connectBound &&
        freedAfter <= connectBound + 1_000;
      const figure =
        `hang: requests 503 after ${answered.map(ms).join(', ')} (bound ${ms(CONFIG.acquireTimeoutMs + 100)}), ` +
        `${hung.length} hung handshake(s) abandoned after ${gaveUp.map((g) => (Number.isFinite(g) ? ms(g) : 'never')).join(', ') || 'none'} (bound ${ms(connectBound)}), ` +
        `slot free, first success ${ms(freedAfter)} after the hang began`;
      return { held, figure };
    });

    // 200 ms on every answer from the server, with the contract's default acquire deadline (a new
    // connection takes several round trips) and the short statement timeout.
    const latency = await withStack(
      context,
      { poolMax: 2, acquireTimeoutMs: 2_000 },
      async ({ proxy, http }) => {
        // New connections are made under latency too: the old ones are reset at the proxy (the reset
        // reaches the idle clients at once, so the pool drops them before anyone asks).
        proxy!.setLatency(LATENCY_MS, 'downstream');
        proxy!.resetAll();
        await sleep(300);
        const times: number[] = [];
        let failures = 0;
        let why = '';
        for (let i = 0; i < 30; i++) {
          const reply =
            i % 3 === 0
              ? await settle(
                  http.json('POST', '/employees', {
                    name: `Slow ${i}`,
                    email: `${context.tag}-lat-${i}@example.com`,
                    department: `${context.tag}-lat`,
                    salary: 1,
                    hiredAt: '2024-01-01T00:00:00Z',
                  }),
                )
              : await settle(http.request('GET', `/employees?department=${context.tag}-lat&limit=10`));
          if (!is2xx(reply)) {
            failures++;
            why ||= ` (#${i}: ${reply ? `${reply.status} ${reply.text.slice(0, 100)}` : 'no answer'})`;
          } else times.push(reply!.endedAt - reply!.startedAt);
        }
        return {
          held: failures === 0,
          figure: `latency ${LATENCY_MS} ms: ${failures}/30 timed out or failed${why}, median ${ms(percentile(times, 50))}`,
        };
      },
    );
    return {
      scenario: this.name,
      backend,
      figure: `${hang.figure}; ${latency.figure}`,
      held: hang.held && latency.held,
    };
  },
};

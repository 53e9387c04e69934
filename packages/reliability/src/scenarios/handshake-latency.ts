import { sleep } from '../server-control.js';
import { is2xx, percentile, settle, until, withStack } from './harness.js';
import { CONFIG, type Figure, SERVER_BACKENDS, type Scenario, ms, PGLITE_IN_PROCESS } from './scenario.js';

/** The adapters' default connect timeout (`DriverOptions.connectTimeoutMs`); the app does not change it. */
const CONNECT_TIMEOUT_MS = 5_000;
const LATENCY_MS = 200;
/**
 * How long past a hung socket's own bound (accept + connect timeout + 10 %) its close is waited for before
 * it is read: only so that a close at the bound is seen; a close later than the bound fails regardless.
 */
const CLOSE_MARGIN_MS = 200;

/**
 * A handshake that never completes: the request is answered 503 within the acquire deadline, the
 * connect attempt is abandoned within its timeout (+10 %) and frees its slot (a request succeeds once
 * the network is back). Then 200 ms of added latency: no spurious timeouts.
 */
export const handshakeAndLatency: Scenario = {
  name: 'hanging handshake; 200 ms latency',
  backends: SERVER_BACKENDS,
  notApplicable: {
    pglite: `${PGLITE_IN_PROCESS}, so there is no handshake to hang and no network round trip to slow`,
  },
  async run(context): Promise<Figure> {
    const { control, backend } = context;
    const hang = await withStack(context, { poolMax: 2 }, async ({ proxy, http }) => {
      // Empty the pool, then make every new connection hang in its handshake.
      // Every socket accepted from here on hangs, including any the client opens on its own meanwhile.
      const firstHung = proxy!.records.length;
      await proxy!.setMode('hang');
      const faultAt = performance.now();
      await control.killAppConnections();
      proxy!.resetAll();
      await sleep(100);
      const hangAt = performance.now();
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
      const connectBound = CONNECT_TIMEOUT_MS * 1.1;
      // Every socket accepted during the hang is judged against its own accept time, and only once its
      // own bound has passed: a client may open a hung socket well after the hang began (the MongoDB
      // driver's monitor reconnects a few hundred ms in), so at the first success that socket's timeout
      // may still be running. Reading its close time then would call it "never" closed.
      const hung = proxy!.records.slice(firstHung).filter((r) => r.acceptedIn === 'hang');
      const judgeAt = Math.max(0, ...hung.map((r) => r.acceptedAt)) + connectBound + CLOSE_MARGIN_MS;
      await until(
        async () => hung.every((r) => r.clientClosedAt !== undefined),
        Math.max(0, judgeAt - performance.now()),
      );
      const gaveUp = hung.map((r) => (r.clientClosedAt ?? Number.POSITIVE_INFINITY) - r.acceptedAt);
      const slowestGiveUp = Math.max(0, ...gaveUp);
      const freedAfter = servedAt === undefined ? Number.POSITIVE_INFINITY : servedAt - hangAt;
      const abandoned = hung
        .map((r, i) => {
          const g = gaveUp[i]!;
          const after = Number.isFinite(g) ? ms(g) : `still open at ${ms(connectBound + CLOSE_MARGIN_MS)}`;
          return `${after} (opened ${ms(r.acceptedAt - faultAt)} into the hang)`;
        })
        .join(', ');
      const held =
        refused &&
        Math.max(...answered) <= CONFIG.acquireTimeoutMs + 100 &&
        hung.length > 0 &&
        slowestGiveUp <= connectBound &&
        freedAfter <= connectBound + 1_000;
      const figure =
        `hang: requests 503 after ${answered.map(ms).join(', ')} (bound ${ms(CONFIG.acquireTimeoutMs + 100)}), ` +
        `${hung.length} hung handshake(s) abandoned after ${abandoned || 'none'} (bound ${ms(connectBound)}), ` +
        `first success ${ms(freedAfter)} after the hang began (bound ${ms(connectBound + 1_000)})`;
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

import { is2xx, settle, until, withStack } from './harness.js';
import { CONFIG, type Figure, SERVER_BACKENDS, type Scenario, ms, PGLITE_IN_PROCESS } from './scenario.js';

/**
 * Idle connections killed server-side: 0 crashes, at most one failed request per killed connection, and
 * the pool full again within 1 s (a wave of `poolMax` concurrent requests all served).
 */
export const idleKilled: Scenario = {
  name: 'idle connections killed server-side',
  backends: SERVER_BACKENDS,
  notApplicable: {
    pglite: `${PGLITE_IN_PROCESS}, so there is no connection to kill from outside it`,
  },
  async run(context): Promise<Figure> {
    const { control } = context;
    return withStack(context, {}, async ({ api, http }) => {
      const wave = () =>
        Promise.all(
          Array.from({ length: CONFIG.poolMax }, () => settle(http.request('GET', '/employees?limit=5'))),
        );
      // Fill the pool: concurrent waves until the server sees every connection.
      const filled = await until(async () => {
        await wave();
        return (await control.appConnections()) >= CONFIG.poolMax;
      }, 10_000);
      if (filled === undefined)
        throw new Error(`the pool never filled (${await control.appConnections()} on the server)`);
      await new Promise((r) => setTimeout(r, 200));
      const killed = await control.killAppConnections();
      const killedAt = performance.now();
      let failed = 0;
      let serverErrors = 0;
      let fullAt: number | undefined;
      const why = new Set<string>();
      // Waves until one is served in full, then more to be sure nothing is left broken.
      for (let i = 0; i < 20; i++) {
        const replies = await wave();
        const bad = replies.filter((r) => !is2xx(r));
        failed += bad.length;
        for (const r of bad) why.add(r ? `${r.status} ${r.text.slice(0, 160)}` : 'no answer');
        serverErrors += bad.filter((r) => r === undefined || (r.status >= 500 && r.status !== 503)).length;
        if (bad.length === 0 && fullAt === undefined) fullAt = performance.now();
        if (fullAt !== undefined && performance.now() - fullAt > 500) break;
      }
      // A crash is the process exiting; a 5xx other than 503, or no answer at all, is counted beside it: a
      // lost connection must reach the client as the contract's typed 503, never as an internal error.
      const crashed = api.exit !== undefined;
      const refill = fullAt === undefined ? Number.POSITIVE_INFINITY : fullAt - killedAt;
      const held = !crashed && serverErrors === 0 && failed <= killed && refill <= 1_000;
      const figure =
        `${killed} killed: ${failed} failed request(s) (bound ${killed}), ${crashed ? `CRASHED (exit ${api.exit?.code ?? api.exit?.signal})` : '0 crashes'}, ` +
        `${serverErrors} answered 5xx other than 503 or not at all (bound 0), ` +
        `pool full again after ${ms(refill)} (bound 1000 ms)` +
        (why.size ? `; failed with: ${[...why].slice(0, 2).join(' ; ')}` : '') +
        (serverErrors ? `; the app logged: ${api.loggedErrors().slice(0, 2).join(' ; ')}` : '');
      return { scenario: this.name, backend: context.backend, figure, held };
    });
  },
};

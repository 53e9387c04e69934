import { ApiProcess } from '../api-process.js';
import { FaultProxy } from '../fault-proxy.js';
import { LoadGenerator } from '../load/generator.js';
import { AckLedger } from '../load/ledger.js';
import { sleep } from '../server-control.js';
import { employee, scratchFolder } from './harness.js';
import { ALL_BACKENDS, CONFIG, type Figure, type Scenario, ms } from './scenario.js';

/**
 * SIGTERM under load: 0 acknowledged writes lost, every request in flight answered, exit 0 within 10 s,
 * and 0 server-side connections 1 s after exit. The ledger is checked through a fresh instance.
 */
export const sigtermUnderLoad: Scenario = {
  name: 'SIGTERM under load',
  backends: ALL_BACKENDS,
  notApplicable: {},
  async run(context): Promise<Figure> {
    const { control, tag, backend } = context;
    const folder = backend === 'pglite' ? scratchFolder() : undefined;
    const proxy = control.target ? await FaultProxy.start({ target: control.target }) : undefined;
    const databaseUrl = folder ? `pglite://${folder.path}` : control.appUrl(proxy?.port);
    try {
      const api = await ApiProcess.start({ ...CONFIG, databaseUrl });
      const ledger = new AckLedger();
      const load = new LoadGenerator(api.http, ledger, { rate: 50, tag });
      load.start();
      await sleep(3_000);
      // A burst so that work is surely in flight when the signal lands.
      const burstErrors: string[] = [];
      const burst = Array.from({ length: 10 }, (_, i) =>
        api.http.json('POST', '/employees', employee(`${tag}-t`, i)).catch((error: NodeJS.ErrnoException) => {
          burstErrors.push(`${error.code ?? ''} ${error.message}`);
          return undefined;
        }),
      );
      await sleep(5);
      const inFlightAtSignal = load.inFlight + burst.length;
      const signalAt = performance.now();
      api.child.kill('SIGTERM');
      const stopping = load.stop();
      const burstReplies = await Promise.all(burst);
      await stopping;
      for (const r of burstReplies) {
        if (r?.status === 201) ledger.acknowledge(r.json as { id: string; version: number; salary: number });
      }
      const exit = await Promise.race([api.exited, sleep(15_000).then(() => undefined)]);
      if (!exit) api.kill();
      const exitMs = exit ? exit.at - signalAt : Number.POSITIVE_INFINITY;
      // In flight at the signal: started before it; each must have an HTTP answer.
      const lost = load.outcomes.filter((o) => o.startedAt < signalAt && o.status === 0);
      const unanswered = lost.length + burstReplies.filter((r) => r === undefined).length;
      const why = [...new Set([...lost.map((o) => o.error), ...burstErrors])].slice(0, 2).join('; ');
      await sleep(1_000);
      const left = backend === 'pglite' ? 0 : await control.appConnections();

      const fresh = await ApiProcess.start({ ...CONFIG, databaseUrl });
      const check = await ledger.verify(fresh.http);
      await fresh.stop();
      const held = check.lost === 0 && unanswered === 0 && exit?.code === 0 && exitMs <= 10_000 && left === 0;
      const figure =
        `${check.lost}/${check.acknowledged} acknowledged writes lost; ${unanswered}/${inFlightAtSignal} in flight unanswered${why ? ` (${why})` : ''}; ` +
        `exit ${exit?.code ?? exit?.signal ?? 'none'} after ${ms(exitMs)} (bound 10000 ms); ` +
        `${left} server-side connections 1 s after exit`;
      return { scenario: this.name, backend, figure, held };
    } finally {
      await proxy?.close();
      folder?.dispose();
    }
  },
};

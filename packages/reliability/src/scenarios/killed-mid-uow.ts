import { errorCode } from '../http.js';
import { employee, is2xx, settle, withStack } from './harness.js';
import { type Figure, SERVER_BACKENDS, type Scenario, PGLITE_IN_PROCESS } from './scenario.js';

const ROWS = 200;

/**
 * A connection killed mid unit of work: a typed error (503 UNAVAILABLE), 0 rows of it stored, and the
 * connection never reused (every later request served).
 */
export const killedMidUnitOfWork: Scenario = {
  name: 'connection killed mid unit of work',
  backends: SERVER_BACKENDS,
  notApplicable: {
    pglite: `${PGLITE_IN_PROCESS}, so there is no connection to kill from outside it`,
  },
  async run(context): Promise<Figure> {
    const { control, tag, backend } = context;
    return withStack(context, { poolMax: 2 }, async ({ http }) => {
      const department = `${tag}-uow`;
      // The bulk unit of work begins, then blocks on a foreign lock (MongoDB: its inserts are delayed) ...
      let release: () => Promise<void>;
      if (backend === 'mongodb') {
        const server = (control as unknown as { server: import('@berth/mongo-test-server').MongoTestServer })
          .server;
        server.setCommandDelay(800, { commands: ['insert'] });
        release = async () => server.setCommandDelay(0);
      } else {
        const lock = await control.lockEmployees();
        release = () => lock.release();
      }
      const body = Array.from({ length: ROWS }, (_, i) => employee(tag, i, { department }));
      const pending = settle(http.json('POST', '/employees/bulk', body));
      await new Promise((r) => setTimeout(r, 300));
      // ... and its connection is killed server-side while the unit of work is open.
      const killed = await control.killAppConnections();
      await release();
      const reply = await pending;
      const code = reply ? errorCode(reply) : undefined;
      const typed = reply?.status === 503 && code === 'UNAVAILABLE';
      const list = await http.request(
        'GET',
        `/employees?department=${encodeURIComponent(department)}&limit=100`,
      );
      const stored = (list.json as { items?: unknown[] } | undefined)?.items?.length ?? -1;
      // Never reused: a reused dead connection would fail a later request.
      let later = 0;
      for (let i = 0; i < 10; i++)
        if (!is2xx(await settle(http.request('GET', '/employees?limit=1')))) later++;
      const figure =
        `${killed} killed: answered ${reply?.status ?? 'nothing'} ${code ?? ''}, ${stored} of ${ROWS} rows stored, ` +
        `${later}/10 later requests failed`;
      return { scenario: this.name, backend, figure, held: typed && stored === 0 && later === 0 };
    });
  },
};

#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { MongoTestServer } from './server.js';

/**
 * Standalone entry point: `node dist/cli.js --port 27017 [--host 127.0.0.1] [--replSet rs0]`.
 * Prints the connection URL and runs until SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  // `pnpm start -- --port N` forwards the literal `--`, which would turn every flag into a positional.
  const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'));
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', short: 'p', default: '27017' },
      host: { type: 'string', default: '127.0.0.1' },
      replSet: { type: 'string', default: 'rs0' },
    },
    allowPositionals: false,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const server = await MongoTestServer.start({ port, host: values.host, replicaSetName: values.replSet });
  console.log(`berth mongo-test-server listening on ${server.url}`);
  console.log(`replica-set URL: ${server.replicaSetUrl}`);
  const shutdown = (): void => {
    void server.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

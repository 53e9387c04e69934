import type { TestProject } from 'vitest/node';
import { adminOf } from './support/admin-connection.js';
import { SERVER_URL, TEST_DATABASE } from './support/test-env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** True when the test server answered and the test database was created. */
    mysqlAvailable: boolean;
  }
}

function admin() {
  return adminOf(SERVER_URL);
}

/**
 * Creates the test database once for the run (dropping a leftover one) and drops it at the end. An
 * unreachable server fails the run under CI and skips the server tests, loudly, elsewhere.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let connection: Awaited<ReturnType<typeof admin>>;
  try {
    connection = await admin();
  } catch (error) {
    const message = `MySQL/MariaDB at ${SERVER_URL} is unreachable: ${(error as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${message} (CI=true: the server tests must run)`);
    console.warn(
      `\n${'!'.repeat(100)}\n!!! @berth/mysql: ${message}\n!!! SKIPPING every test that needs the server.\n${'!'.repeat(100)}\n`,
    );
    project.provide('mysqlAvailable', false);
    return async () => undefined;
  }
  await connection.query(`DROP DATABASE IF EXISTS \`${TEST_DATABASE}\``);
  await connection.query(`CREATE DATABASE \`${TEST_DATABASE}\` CHARACTER SET utf8mb4`);
  await connection.end();
  project.provide('mysqlAvailable', true);
  return async () => {
    const c = await admin();
    try {
      await c.query(`DROP DATABASE IF EXISTS \`${TEST_DATABASE}\``);
    } finally {
      await c.end();
    }
  };
}

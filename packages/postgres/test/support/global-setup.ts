import type { TestProject } from 'vitest/node';
import { rawQuery, SERVER_URL, TEST_DATABASE } from './server.js';

const CREATE_TIMEOUT_MS = 5_000;

/**
 * Creates the package's own database on the real server before the tests, and drops it after. When the
 * server cannot be reached the run fails under CI; elsewhere every PostgreSQL test is skipped, loudly.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = new URL(SERVER_URL).host;
  try {
    await Promise.race([
      (async () => {
        await rawQuery(`DROP DATABASE IF EXISTS ${TEST_DATABASE} WITH (FORCE)`, [], 'postgres');
        await rawQuery(`CREATE DATABASE ${TEST_DATABASE}`, [], 'postgres');
      })(),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${CREATE_TIMEOUT_MS} ms`)),
          CREATE_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
  } catch (error) {
    const message = `PostgreSQL at ${server} is unreachable: ${(error as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${message} (CI=true: the PostgreSQL tests must run)`);
    const line = '!'.repeat(100);
    console.warn(
      `\n${line}\n!!! @berth/postgres: ${message}\n!!! SKIPPING every PostgreSQL test: this run proves nothing about the adapter.\n${line}\n`,
    );
    project.provide('postgresAvailable', false);
    return async () => undefined;
  }
  project.provide('postgresAvailable', true);
  return async () => {
    await rawQuery(`DROP DATABASE IF EXISTS ${TEST_DATABASE} WITH (FORCE)`, [], 'postgres').catch(
      (error: Error) => {
        console.warn(`@berth/postgres: could not drop ${TEST_DATABASE}: ${error.message}`);
      },
    );
  };
}

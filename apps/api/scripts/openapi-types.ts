// Writes the client types generated from the service's OpenAPI document (test/openapi/api-types.ts):
// `pnpm --filter @berth/api openapi:types`, after a route or schema changed.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CLIENT_TYPES, clientTypes, startApp } from '../test/openapi/document.js';

const { app, close } = await startApp();
try {
  const file = fileURLToPath(new URL(`../${CLIENT_TYPES}`, import.meta.url));
  await writeFile(file, await clientTypes(app.swagger()));
  process.stdout.write(`wrote ${CLIENT_TYPES}\n`);
} finally {
  await close();
}

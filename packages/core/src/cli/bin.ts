#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The `berth` binary: `berth migrate diff|generate|up|status` (see docs/migrations.md).
const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;

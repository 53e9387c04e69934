#!/usr/bin/env node
// The package's command. It lives outside dist/ so that it exists on a fresh clone (a bin pointing into
// dist/ makes every `pnpm install` warn that it cannot link it); it builds dist/ when missing or stale,
// then runs the server's command-line entry.
import '../scripts/ensure-built.mjs';

await import('../dist/cli.js');

#!/usr/bin/env node
// The `berth` command (`berth migrate diff|generate|up|status`, see docs/migrations.md). It lives outside
// dist/ so that it exists on a fresh clone: a bin pointing into dist/ makes every `pnpm install` of the
// workspace warn that it cannot be linked. Installed from npm, dist/ is always there.
try {
  await import('../dist/cli/bin.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/bin.js')) {
    process.stderr.write(
      'berth: @berth/core is not built here; run `pnpm --filter @berth/core build` first\n',
    );
    process.exit(1);
  }
  throw error;
}

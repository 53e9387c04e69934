// The development start (`pnpm start` at the repository root), preloaded with
// `node --conditions=@berth/source --import ./apps/api/scripts/start-from-sources.mjs apps/api/src/main.ts`.
//
// It runs the service from its TypeScript sources through tsx (the `@berth/source` export condition makes
// every workspace package resolve to its `src/` too), so nothing is built first. The service stays one
// process, which the root script starts with `exec`: the SIGTERM or SIGINT that pnpm forwards to its child
// reaches the service itself (a shell in between would die and leave the service running).
// `pnpm start:prod` builds and runs dist/ instead.
import 'tsx';

// Imported once tsx is registered: a static import would be loaded before the line above runs.
const { prepareStart } = await import('./start-lines.ts');
prepareStart(process.env, process.cwd(), performance.now());

// Loaded with `node --import` into the app's process: lets `import('@berth/<adapter>')` in apps/api find an
// adapter package of the workspace that apps/api does not (yet) list among its dependencies.
import { register } from 'node:module';

register('./resolve-adapters.mjs', import.meta.url);

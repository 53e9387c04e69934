import { register } from 'node:module';

register('./hide-adapter-hooks.mjs', import.meta.url);

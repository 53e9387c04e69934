import { runApiSuite } from './api-suite.js';

runApiSuite({ name: 'pglite', databaseUrl: 'pglite://memory' });

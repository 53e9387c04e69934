export { MongoTestServer } from './server.js';
export type { MongoTestServerOptions } from './server.js';
export type { CommandFault, CommandHook, CommandInfo, FaultScope } from './faults.js';

// `@berth/core/otel`: OpenTelemetry spans and pool metrics (docs/escape-hatches.md). The only entry point
// that imports @opentelemetry/api, an optional peer dependency.
export {
  INSTRUMENTATION_NAME,
  type InstrumentOptions,
  type Instrumentation,
  instrument,
} from './instrument.js';
export { redactQueryText } from './redact-query-text.js';
export { type ServerAttributes, serverOfUrl } from './server-of-url.js';

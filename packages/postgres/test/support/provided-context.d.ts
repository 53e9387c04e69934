import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL answered and the test database exists. */
    postgresAvailable: boolean;
  }
}

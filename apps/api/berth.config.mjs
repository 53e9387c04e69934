// The `berth migrate` config of the service (docs/migrations.md). The entities are the built module
// (`pnpm --filter @berth/api build` writes dist/entities.js); the files live in ./migrations/<postgres|mysql|mongodb>/.
// The database is DATABASE_URL, as for the service itself.
export default {
  entities: ['./dist/entities.js'],
  migrations: './migrations',
};

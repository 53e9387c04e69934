import { defineConfig } from 'prisma/config';

// Only `prisma generate` runs (from src/peers/prisma.ts); it needs no database URL.
export default defineConfig({ schema: 'prisma/schema.prisma' });

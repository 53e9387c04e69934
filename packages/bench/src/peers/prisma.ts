import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pgUrl } from '../context.js';
import { log } from '../harness/log.js';
import type { EmployeeRow, PageAfter } from '../raw/raw.js';
import { type Peer, pick } from './peer.js';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLIENT = join(PACKAGE_DIR, '.prisma-client', 'client.ts');

/**
 * Generates the Prisma 7 client (TypeScript, query compiler in WebAssembly: no query engine binary).
 * `prisma generate` still tries to download the schema engine binary, which it does not use to generate;
 * pointing `PRISMA_SCHEMA_ENGINE_BINARY` at an existing executable skips that download.
 */
export function generatePrismaClient(): void {
  if (existsSync(CLIENT)) return;
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
  log('prisma: generating the client (no engine download)');
  execFileSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: existsSync('/bin/true') ? '/bin/true' : process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
}

interface PrismaDelegate {
  findUnique(args: unknown): Promise<Record<string, unknown> | null>;
  findMany(args: unknown): Promise<Record<string, unknown>[]>;
  createMany(args: unknown): Promise<unknown>;
}
interface PrismaLike {
  employees: PrismaDelegate;
  bench_bulk: PrismaDelegate;
  $disconnect(): Promise<void>;
}

/** Prisma 7 with its `@prisma/adapter-pg` driver adapter, on a pool of the same size. */
export async function openPrisma(max: number): Promise<Peer> {
  generatePrismaClient();
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { PrismaClient } = (await import(pathToFileURL(CLIENT).href)) as {
    PrismaClient: new (options: unknown) => PrismaLike;
  };
  const adapter = new PrismaPg({ connectionString: pgUrl(), max });
  const prisma = new PrismaClient({ adapter });
  return {
    name: 'prisma',
    async findById(id: string) {
      const row = await prisma.employees.findUnique({ where: { id } });
      return row ? pick(row) : null;
    },
    async page(after: PageAfter) {
      const rows = await prisma.employees.findMany({
        where: {
          department: after.department,
          active: after.active,
          OR: [{ salary: { lt: after.salary } }, { salary: after.salary, id: { gt: after.id } }],
        },
        orderBy: [{ salary: 'desc' }, { id: 'asc' }],
        take: 20,
      });
      return rows.map(pick);
    },
    async bulkInsert(rows: readonly EmployeeRow[]) {
      await prisma.bench_bulk.createMany({ data: rows });
    },
    close: () => prisma.$disconnect(),
  };
}

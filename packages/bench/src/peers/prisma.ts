import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pgUrl } from '../context.js';
import { log } from '../harness/log.js';
import type { EmployeeRow, PageAfter } from '../raw/raw.js';
import { departmentStats, OutOfBounds, type Raise } from '../raw/set-based-raw.js';
import { LOCK_OUTSIDE, type Peer, pick } from './peer.js';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLIENT = join(PACKAGE_DIR, '.prisma-client', 'client.ts');
const SCHEMA = join(PACKAGE_DIR, 'prisma', 'schema.prisma');

/**
 * Generates the Prisma 7 client (TypeScript, query compiler in WebAssembly: no query engine binary).
 * `prisma generate` still tries to download the schema engine binary, which it does not use to generate;
 * pointing `PRISMA_SCHEMA_ENGINE_BINARY` at an existing executable skips that download. A client older
 * than the schema is generated again (a model added since would be missing from it).
 */
export function generatePrismaClient(): void {
  if (existsSync(CLIENT) && statSync(CLIENT).mtimeMs >= statSync(SCHEMA).mtimeMs) return;
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
  groupBy(args: unknown): Promise<Record<string, unknown>[]>;
  updateMany(args: unknown): Promise<{ count: number }>;
}
interface PrismaLike {
  employees: PrismaDelegate;
  bench_bulk: PrismaDelegate;
  $disconnect(): Promise<void>;
  $transaction<T>(fn: (tx: PrismaLike) => Promise<T>): Promise<T>;
  $queryRawUnsafe<T>(query: string, ...values: unknown[]): Promise<T>;
}

/** The generated client's module, loaded once the client is generated. */
export async function importPrismaClient<T>(): Promise<new (options: unknown) => T> {
  generatePrismaClient();
  const { PrismaClient } = (await import(pathToFileURL(CLIENT).href)) as {
    PrismaClient: new (options: unknown) => T;
  };
  return PrismaClient;
}

/** Prisma 7 with its `@prisma/adapter-pg` driver adapter, on a pool of the same size. */
export async function openPrisma(max: number): Promise<Peer> {
  const PrismaClient = await importPrismaClient<PrismaLike>();
  const { PrismaPg } = await import('@prisma/adapter-pg');
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
    async stats(department: string) {
      const [row] = await prisma.employees.groupBy({
        by: ['department'],
        where: { department },
        _count: { _all: true },
        _sum: { salary: true },
        _avg: { salary: true },
      });
      const r = row as {
        department: string;
        _count: { _all: number };
        _sum: { salary: bigint };
        _avg: { salary: number };
      };
      return departmentStats({
        department: r.department,
        count: r._count._all,
        sum: r._sum.salary,
        avg: r._avg.salary,
      });
    },
    async raise({ department, factor, min, max }: Raise) {
      // Prisma has no locking read: its docs send \`SELECT ... FOR UPDATE\` through $queryRaw.
      return prisma.$transaction(async (tx) => {
        const locked = await tx.$queryRawUnsafe<{ outside: bigint }[]>(
          LOCK_OUTSIDE,
          factor,
          min,
          max,
          department,
        );
        const outside = Number(locked[0]!.outside);
        if (outside > 0) throw new OutOfBounds(outside);
        const { count } = await tx.employees.updateMany({
          where: { department },
          data: { salary: { multiply: factor }, version: { increment: 1 }, updatedAt: new Date() },
        });
        return count;
      });
    },
    close: () => prisma.$disconnect(),
  };
}

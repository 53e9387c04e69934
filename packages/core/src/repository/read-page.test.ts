import { describe, expect, it } from 'vitest';
import type { Capabilities } from '../driver/capabilities.js';
import type { FindCommand, StoredRow } from '../driver/commands.js';
import type { DriverConnection } from '../driver/driver-connection.js';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { TooManyRowsError } from '../errors/too-many-rows-error.js';
import type { Scope } from '../transaction/scope.js';
import { MAX_UNBOUNDED_ROWS } from './find-options.js';
import { readPage } from './read-page.js';
import { streamRows } from './stream-rows.js';

const E = defineEntity('items', { id: field.id(), name: field.string(), rank: field.integer() });
const CAPS: Capabilities = {
  multipleConnections: true,
  transactions: true,
  savepoints: true,
  returning: true,
};

/** A scope whose connection answers `find` with `rows` (trimmed to the command's limit) and records commands. */
function stubScope(rows: StoredRow[]) {
  const commands: FindCommand[] = [];
  const connection = {
    find: async (command: FindCommand) => {
      commands.push(command);
      return rows.slice(0, command.limit ?? rows.length).map((row) => {
        if (!command.select) return { ...row };
        return Object.fromEntries(command.select.map((f) => [f, row[f]]));
      });
    },
  } as unknown as DriverConnection;
  const scope: Scope = {
    inTransaction: false,
    run: (fn) => fn(connection),
    transaction: () => Promise.reject(new Error('not used')),
  };
  return { scope, commands };
}

const rows = (n: number): StoredRow[] =>
  Array.from({ length: n }, (_, i) => ({ id: `id-${String(i).padStart(6, '0')}`, name: `n${i}`, rank: i }));

describe('readPage', () => {
  it('without a limit asks for one row more than the guard allows, and refuses a larger result', async () => {
    const small = stubScope(rows(3));
    expect((await readPage(E, small.scope, CAPS, {})).items).toHaveLength(3);
    expect(small.commands[0]!.limit).toBe(MAX_UNBOUNDED_ROWS + 1);
    const large = stubScope(rows(MAX_UNBOUNDED_ROWS + 1));
    await expect(readPage(E, large.scope, CAPS, {})).rejects.toThrow(TooManyRowsError);
    await expect(readPage(E, large.scope, CAPS, {})).rejects.toMatchObject({
      code: 'TOO_MANY_ROWS',
      maxRows: 10_000,
    });
  });

  it("with limit: 'all' sends no limit and returns everything", async () => {
    const { scope, commands } = stubScope(rows(MAX_UNBOUNDED_ROWS + 5));
    const page = await readPage(E, scope, CAPS, { limit: 'all' });
    expect(page).toMatchObject({ nextCursor: null });
    expect(page.items).toHaveLength(MAX_UNBOUNDED_ROWS + 5);
    expect(commands[0]!.limit).toBeUndefined();
  });

  it('with a projection and a limit reads the sort keys too, then leaves them out', async () => {
    const { scope, commands } = stubScope(rows(5));
    const page = await readPage(E, scope, CAPS, { select: { name: true }, orderBy: '-rank', limit: 2 });
    expect(commands[0]!.select).toEqual(['id', 'name', 'rank']);
    expect(page.items).toEqual([{ name: 'n0' }, { name: 'n1' }]);
    expect(page.nextCursor).not.toBeNull();
    const unpaged = stubScope(rows(2));
    await readPage(E, unpaged.scope, CAPS, { select: { name: true }, orderBy: '-rank' });
    expect(unpaged.commands[0]!.select).toEqual(['name']);
  });
});

describe('streamRows', () => {
  it('asks for the next page only when the previous one is used up, and stops when the consumer does', async () => {
    const asked: Array<string | null> = [];
    const stream = streamRows(2, async (_limit, cursor) => {
      asked.push(cursor);
      return { items: [{ n: asked.length }, { n: asked.length }], nextCursor: `c${asked.length}` };
    });
    const seen: unknown[] = [];
    for await (const row of stream) {
      seen.push(row);
      if (seen.length === 3) break;
    }
    expect(asked).toEqual([null, 'c1']);
    expect(seen).toHaveLength(3);
  });
});

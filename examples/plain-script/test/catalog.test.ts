import { fileURLToPath } from 'node:url';
import { connect } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { Book, tour } from '../src/catalog.js';
import { databases, runStart } from '@berth/example-test-support';

const targets = await databases('berth_example_script');
// `pnpm start` gets a database of its own: the tour's counts assume an empty table.
const startTarget = (await databases('berth_example_script_main')).at(-1)!;

describe.each(targets)('the plain script on $backend', ({ url }) => {
  it('inserts, pages, flushes a unit of work and rolls a transaction back', async () => {
    const db = await connect(url, { entities: [Book], importAdapter: (name) => import(name) });
    try {
      await db.ensureSchema();
      const lines: string[] = [];
      const result = await tour(db, (line) => lines.push(line));
      expect(result).toEqual({
        firstPage: ['Hyperion', 'Neuromancer'],
        secondPage: ['Dune', 'Foundation'],
        restocked: 2,
        afterRollback: 0,
        total: 6,
      });
      expect(lines).toContain('the transaction rolled back: changed my mind');
      // The unit of work wrote what it said: every book is in stock now.
      expect(await db.repository(Book).count({ inStock: 0 })).toBe(0);
    } finally {
      await db.close();
    }
  });
});

describe('pnpm start', () => {
  it(`runs the tour on DATABASE_URL (${startTarget.backend}) and exits 0`, async () => {
    const { code, output } = await runStart(fileURLToPath(new URL('..', import.meta.url)), {
      DATABASE_URL: startTarget.url,
    });
    expect(code, output).toBe(0);
    expect(output).toContain('inserted 5 books');
    expect(output).toContain('6 books in the end');
  });
});

import type { ModifyCommand } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { promisesOf } from '../../../core/test/support/promises-of.js';
import { Employee } from '../../test/fixtures.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import type { SqlResult } from './sql-result.js';
import { modifyOne, type SqlWriteContext } from './sql-writes.js';

const ID = '0190a3c5-0000-7000-8000-000000000001';

describe('modifyOne with RETURNING', () => {
  it('adds one promise to its statement, to decode the row', async () => {
    const sent: string[] = [];
    const result: SqlResult = { rows: [{ id: ID, salary: 2, version: 2 }], affectedRows: 1 };
    const ctx: SqlWriteContext = {
      dialect: postgresDialect,
      run: (statement) => {
        sent.push(statement.sql);
        return Promise.resolve(result);
      },
      inTransaction: () => false,
      begin: () => Promise.reject(new Error('no transaction expected')),
      commit: () => Promise.reject(new Error('no transaction expected')),
      rollback: () => Promise.reject(new Error('no transaction expected')),
    };
    const command: ModifyCommand = {
      entity: Employee,
      where: { type: 'compare', field: 'id', op: 'eq', value: ID },
      set: { salary: 2 },
      operations: [],
      stamp: {},
      bump: 'version',
      changedOnly: true,
    };
    expect(await modifyOne(ctx, command)).toMatchObject({ id: ID, salary: 2, version: 2 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^UPDATE .* RETURNING /);
    // The statement's own promise (the context's `run`) and the one that decodes its row; nothing more.
    const statementAndDecode = await promisesOf(() => ctx.run({ sql: '', params: [] }).then((r) => r.rows));
    expect(await promisesOf(() => modifyOne(ctx, command))).toBe(statementAndDecode);
  });
});

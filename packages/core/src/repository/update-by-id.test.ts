import { describe, expect, it } from 'vitest';
import { promisesOf } from '../../test/support/promises-of.js';
import type { StoredRow } from '../driver/commands.js';
import type { DriverConnection } from '../driver/driver-connection.js';
import type { ModifyCommand } from '../driver/write-commands.js';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { parseUpdate } from '../entity/parse-update.js';
import { updateById } from './update-by-id.js';

const Item = defineEntity('update_by_id_items', {
  id: field.id(),
  stock: field.integer(),
  version: field.version(),
  updatedAt: field.updatedAt(),
});

describe('updateById with RETURNING', () => {
  it('is one modifyOne, with no promise of its own beyond the write path', async () => {
    const written: StoredRow = { id: 'a', stock: 3, version: 2, updatedAt: new Date() };
    const commands: ModifyCommand[] = [];
    const c = {
      modifyOne: (command: ModifyCommand) => {
        commands.push(command);
        return Promise.resolve(written);
      },
    } as unknown as DriverConnection;
    const request = {
      entity: Item,
      id: 'a',
      change: parseUpdate(Item, { stock: 3 }),
      expectedVersion: 1,
      returning: true,
    };
    expect(await updateById(c, request)).toBe(written);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ set: { stock: 3 }, bump: 'version', changedOnly: true });
    // The write path alone: an async function awaiting the write (what the conditional UPDATE needs).
    const writePath = async () => {
      const row = await c.modifyOne(commands[0]!);
      if (row) return row;
    };
    expect(await promisesOf(() => updateById(c, request))).toBe(await promisesOf(writePath));
  });
});

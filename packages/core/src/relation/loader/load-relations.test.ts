import { describe, expect, it } from 'vitest';
import type { FindCommand, StoredRow } from '../../driver/commands.js';
import type { DriverConnection } from '../../driver/driver-connection.js';
import { defineEntity } from '../../entity/define-entity.js';
import { field } from '../../entity/field.js';
import { belongsTo, hasMany } from '../../entity/relation-definitions.js';
import { defineRelations } from '../define-relations.js';
import { UNTRACKED, loadRelations } from './load-relations.js';
import { planInclude } from './plan-include.js';

const Team = defineEntity('lr_teams', { id: field.id(), name: field.string() });
const Player = defineEntity('lr_players', {
  id: field.id(),
  team: belongsTo(() => Team),
  no: field.integer(),
});
defineRelations(Team, { players: hasMany(() => Player, 'team') });

/** A connection answering every find with `rows` (copies), recording the commands. */
function answering(rows: StoredRow[]) {
  const commands: FindCommand[] = [];
  const connection = {
    find: (command: FindCommand) => {
      commands.push(command);
      return Promise.resolve(rows.map((row) => ({ ...row })));
    },
  } as unknown as DriverConnection;
  return { connection, commands };
}

describe('loadRelations (hasMany)', () => {
  it('gives one parent every row read for its key, with a plain match and no filter', async () => {
    const { connection, commands } = answering([
      { id: 'p1', teamId: 't1', no: 1 },
      { id: 'p2', teamId: 't1', no: 2 },
    ]);
    const team: StoredRow = { id: 't1', name: 'a' };
    await loadRelations(connection, [team], planInclude(Team, { players: true }), UNTRACKED);
    expect((team.players as StoredRow[]).map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(commands[0]!.where).toEqual({ type: 'compare', field: 'teamId', op: 'eq', value: 't1' });
  });

  it('keeps only the rows whose key is the parent key exactly (a backend may compare loosely)', async () => {
    // A case-insensitive collation matches 'T1' for 't1': such a row is no child of the parent 't1'.
    const { connection } = answering([
      { id: 'p1', teamId: 't1', no: 1 },
      { id: 'p2', teamId: 'T1', no: 2 },
    ]);
    const team: StoredRow = { id: 't1', name: 'a' };
    await loadRelations(connection, [team], planInclude(Team, { players: true }), UNTRACKED);
    expect((team.players as StoredRow[]).map((p) => p.id)).toEqual(['p1']);
  });

  it('gives parents sharing a key the same rows, and a parent without rows an empty list', async () => {
    const { connection } = answering([{ id: 'p1', teamId: 't1', no: 1 }]);
    const a: StoredRow = { id: 't1', name: 'a' };
    const b: StoredRow = { id: 't1', name: 'a again' };
    await loadRelations(connection, [a, b], planInclude(Team, { players: true }), UNTRACKED);
    expect(a.players).toEqual([{ id: 'p1', teamId: 't1', no: 1 }]);
    expect(b.players).toEqual(a.players);
    const { connection: none } = answering([]);
    const c: StoredRow = { id: 't2', name: 'c' };
    await loadRelations(none, [c], planInclude(Team, { players: true }), UNTRACKED);
    expect(c.players).toEqual([]);
  });

  it('cuts each parent to its limit when the backend did not', async () => {
    const { connection, commands } = answering([
      { id: 'p1', teamId: 't1', no: 1 },
      { id: 'p2', teamId: 't1', no: 2 },
    ]);
    const team: StoredRow = { id: 't1', name: 'a' };
    await loadRelations(connection, [team], planInclude(Team, { players: { limit: 1 } }), UNTRACKED);
    expect((team.players as StoredRow[]).map((p) => p.id)).toEqual(['p1']);
    expect(commands[0]!.perGroup).toEqual({ field: 'teamId', limit: 1 });
  });
});

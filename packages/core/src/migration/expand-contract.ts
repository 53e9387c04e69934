import type { MigrationStep } from './migration-step.js';

/** A change split for a zero-downtime deploy: what may run while the old code serves, and what waits. */
export interface ExpandContract {
  /** Safe while the previous version still runs: it only adds or relaxes. */
  readonly expand: readonly MigrationStep[];
  /** Run once no instance of the previous version is left: it removes, renames, narrows or tightens. */
  readonly contract: readonly MigrationStep[];
}

/**
 * Whether the previous version of the code keeps working after this step: new tables, nullable columns
 * (or columns with a constant default, which fills old rows and which old inserts get), indexes, foreign
 * keys added or dropped, and alterations that only widen a type or relax NOT NULL. A rename is not: old code
 * still uses the old name. Neither is a drop (of a table, column or index old queries use), a narrowed or
 * changed type, NOT NULL, a NOT NULL column old inserts leave empty, nor a changed document validator.
 */
export function isExpandStep(step: MigrationStep): boolean {
  switch (step.kind) {
    case 'createTable':
    case 'createIndex':
    case 'addForeignKey':
    case 'dropForeignKey':
      return true;
    case 'addColumn':
      return step.field.nullable || (step.field.hasDefault && typeof step.field.defaultValue !== 'function');
    case 'alterColumn':
      return !step.destructive;
    case 'renameColumn':
    case 'dropColumn':
    case 'dropTable':
    case 'dropIndex':
    // A tighter validator refuses the old code's writes (a field it does not write becomes required).
    case 'setValidator':
      return false;
  }
}

/**
 * Splits the differ's steps into an expand part and a contract part, each in the differ's order. An index
 * dropped only to be created again under the same name (a redefinition) goes with its creation to contract,
 * so the expand file never leaves old queries without it; an index or foreign key on a column that contract
 * adds or renames goes to contract after that column.
 */
export function splitExpandContract(steps: readonly MigrationStep[]): ExpandContract {
  const recreated = new Set(
    steps.filter((s) => s.kind === 'createIndex').map((s) => `${s.table}\u0000${s.indexName.toLowerCase()}`),
  );
  const redefined = new Set(
    steps
      .filter((s) => s.kind === 'dropIndex')
      .map((s) => `${s.table}\u0000${s.index.name.toLowerCase()}`)
      .filter((key) => recreated.has(key)),
  );
  // Columns that exist only once contract ran: an index or key on one of them waits for it too.
  const later = new Set<string>();
  for (const step of steps) {
    if ((step.kind === 'addColumn' || step.kind === 'renameColumn') && !isExpandStep(step))
      later.add(`${step.table}\u0000${step.column}`);
  }
  const waits = (step: MigrationStep) => {
    if (step.kind === 'createIndex')
      return (
        redefined.has(`${step.table}\u0000${step.indexName.toLowerCase()}`) ||
        step.index.fields.some((f) => later.has(`${step.table}\u0000${f}`))
      );
    if (step.kind === 'addForeignKey') return later.has(`${step.table}\u0000${step.column}`);
    return false;
  };
  const expand: MigrationStep[] = [];
  const contract: MigrationStep[] = [];
  for (const step of steps) (isExpandStep(step) && !waits(step) ? expand : contract).push(step);
  return { expand, contract };
}

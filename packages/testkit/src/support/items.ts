import type { InsertOf, Repository } from '@berth/core';
import type { Item } from '../write-entities.js';

let items = 0;

/** An item with unique sku, barcode and (warehouse, bin), and the given fields. */
export function itemData(fields: Partial<InsertOf<typeof Item>> = {}): InsertOf<typeof Item> {
  const n = ++items;
  return {
    sku: `sku-${n}`,
    barcode: `bc-${n}`,
    warehouse: 'w1',
    bin: `bin-${n}`,
    name: `item ${n}`,
    stock: 10,
    price: 2.5,
    tag: null,
    level: null,
    ...fields,
  };
}

/** Inserts items one by one (no multi-row insert, so backends without transactions can seed too). */
export async function seedItems(
  repo: Repository<typeof Item>,
  ...rows: Partial<InsertOf<typeof Item>>[]
): Promise<Awaited<ReturnType<Repository<typeof Item>['insert']>>[]> {
  const inserted = [];
  for (const row of rows) inserted.push(await repo.insert(itemData(row)));
  return inserted;
}

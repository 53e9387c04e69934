import { belongsTo, defineEntity, defineRelations, field, hasMany, hasOne, manyToMany } from '@berth/core';

/**
 * The relations cases: customers, orders, order lines, products, tags (many-to-many through a join
 * entity that carries a field of its own) and one note per order (one-to-one). The foreign-key side of
 * each pair is declared in `defineEntity`; the inverse sides with `defineRelations`, once both exist.
 */
const CustomerTable = defineEntity('conformance_rel_customers', {
  id: field.id(),
  name: field.string({ max: 50 }),
});

export const RelProduct = defineEntity('conformance_rel_products', {
  id: field.id(),
  title: field.string({ max: 50 }),
  price: field.integer(),
});

const OrderTable = defineEntity('conformance_rel_orders', {
  id: field.id(),
  customer: belongsTo(() => CustomerTable, { nullable: true, onDelete: 'setNull' }),
  number: field.integer(),
});

export const RelLine = defineEntity('conformance_rel_lines', {
  id: field.id(),
  order: belongsTo(() => OrderTable, { onDelete: 'cascade' }),
  product: belongsTo(() => RelProduct, { onDelete: 'restrict' }),
  position: field.integer(),
  quantity: field.integer(),
});

export const RelTag = defineEntity('conformance_rel_tags', {
  id: field.id(),
  label: field.string({ max: 50 }),
});

export const RelOrderTag = defineEntity('conformance_rel_order_tags', {
  id: field.id(),
  order: belongsTo(() => OrderTable, { onDelete: 'cascade' }),
  tag: belongsTo(() => RelTag, { onDelete: 'cascade' }),
  addedBy: field.string({ max: 50 }),
});

export const RelNote = defineEntity('conformance_rel_notes', {
  id: field.id(),
  order: belongsTo(() => OrderTable, { onDelete: 'cascade', unique: true }),
  text: field.string({ max: 100 }),
});

export const RelOrder = defineRelations(OrderTable, {
  lines: hasMany(() => RelLine, 'order'),
  note: hasOne(() => RelNote, 'order'),
  tags: manyToMany(() => RelTag, { through: () => RelOrderTag, from: 'order', to: 'tag' }),
  orderTags: hasMany(() => RelOrderTag, 'order'),
});

export const RelCustomer = defineRelations(CustomerTable, {
  orders: hasMany(() => RelOrder, 'customer'),
});

/** Every relations entity, children first: the order they are cleared in. */
export const relationEntities = [
  RelNote,
  RelOrderTag,
  RelLine,
  RelOrder,
  RelTag,
  RelProduct,
  RelCustomer,
] as const;

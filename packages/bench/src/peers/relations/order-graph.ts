/** A product as B11 reads it: int8 `price` as a number. */
export interface ProductRow {
  id: string;
  title: string;
  price: number;
}

/** An order line with its product loaded. */
export interface LineGraph {
  id: string;
  orderId: string;
  productId: string;
  position: number;
  quantity: number;
  product: ProductRow | null;
}

/** An order with its lines (by id) and each line's product: what berth's `include` returns in B11. */
export interface OrderGraph {
  id: string;
  number: number;
  lines: LineGraph[];
}

/**
 * A peer loading B11's graph through its own relation API, normalized to `OrderGraph` so its result can
 * be checked equal to berth's before timing. Orders in id order, lines in id order.
 */
export interface RelationPeer {
  readonly name: string;
  ordersWithLines(ids: readonly string[]): Promise<OrderGraph[]>;
  close(): Promise<void>;
}

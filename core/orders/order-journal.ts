// The durable order journal: SQLite is the record of every order (hard rule 3). The intent is
// committed BEFORE anything is sent (recordIntent, then venue.submit), every event after it is
// appended as it arrives, and at start the open orders and positions are rebuilt by replaying the
// log through the same Order aggregate that applied it live. Appends are idempotent on the venue's
// trade id (fills) or event id (others), so a venue that redelivers after a reconnect — or a
// restart that asks the venue again — doubles nothing.
//
// Durability: the journal sets `synchronous = FULL` on its connection (docs/storage.md): in WAL mode
// NORMAL already survives a crash of the app, FULL also survives a power cut, and an order the
// venue may have executed must survive both.
import { isClientOrderId, type ClientOrderId } from '../domain/client-order-id.ts';
import { orderTypes, sides, timesInForce } from '../domain/order-terms.ts';
import type { Database } from '../storage/database.ts';
import type { OrderEvent } from './order-events.ts';
import { Order, type OrderIntent, type Outcome } from './order.ts';

export interface JournalOptions {
  /** 'full' (default): every commit reaches the disk before the call returns. */
  durability?: 'full' | 'normal';
}

export interface RecordedIntent {
  order: Order;
  /** False when the signal had already produced an order (a restart re-running the same bar). */
  created: boolean;
}

export interface AppendResult {
  /** False when the event was already in the journal (same trade id or event id): nothing changed. */
  recorded: boolean;
  outcome: Outcome;
}

/** Signed quantity held per owner, venue and symbol: the sum of every fill. */
export interface JournalPosition {
  owner: string;
  venue: string;
  symbol: string;
  quantity: number;
}

interface IntentRow {
  client_order_id: string;
  owner: string;
  venue: string;
  symbol: string;
  side: OrderIntent['side'];
  type: OrderIntent['type'];
  quantity: number;
  price: number | null;
  time_in_force: OrderIntent['timeInForce'];
  created_at: number;
}

export class OrderJournal {
  private readonly db: Database;
  private readonly orders = new Map<ClientOrderId, Order>();
  /**
   * Each owner's signed position per venue and symbol, kept as fills are applied: a governor asks
   * before every order, and summing every order each time made a long replay quadratic.
   */
  private readonly positionsByKey = new Map<string, number>();
  private readonly insertIntent;
  private readonly insertEvent;
  private readonly findSignal;

  constructor(db: Database, options: JournalOptions = {}) {
    this.db = db;
    db.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
    // Positional parameters: binding by name costs a lookup per parameter per row. A signal already
    // recorded makes the insert a no-op (changes = 0) instead of costing a SELECT before every intent.
    this.insertIntent = db.prepare(
      `INSERT INTO order_intents (client_order_id, owner, venue, symbol, side, type, quantity, price,
         time_in_force, created_at, signal_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (signal_key) DO NOTHING`,
    );
    this.insertEvent = db.prepare(
      `INSERT OR IGNORE INTO order_events (client_order_id, kind, event_key, payload, recorded_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.findSignal = db
      .prepare('SELECT client_order_id FROM order_intents WHERE signal_key = ?')
      .pluck() as unknown as { get(key: string): string | undefined };
    this.replay();
  }

  /**
   * Commits what we are about to send. Returns only once it is on disk; only then may the venue hear
   * of it. With a `signalKey` (e.g. "bot-3:1718000000:0") a signal makes at most one order ever: a
   * second call with the same key returns the first order, `created: false`, and writes nothing.
   */
  recordIntent(intent: OrderIntent, signalKey?: string): RecordedIntent {
    checkIntent(intent);
    const id = intent.clientOrderId;
    if (this.orders.has(id)) {
      const sent = this.sentFor(signalKey);
      if (sent !== undefined) return sent;
      throw new RangeError(`client order id ${id} is already in the journal`);
    }
    const { changes } = this.insertIntent.run(
      id,
      intent.owner,
      intent.venue,
      intent.symbol,
      intent.side,
      intent.type,
      intent.quantity,
      intent.price ?? null,
      intent.timeInForce,
      intent.createdAt,
      signalKey ?? null,
    );
    if (changes === 0) return this.sentFor(signalKey)!;
    const order = new Order({ ...intent });
    this.orders.set(id, order);
    return { order, created: true };
  }

  /** The order a signal already made, if it made one. */
  private sentFor(signalKey: string | undefined): RecordedIntent | undefined {
    if (signalKey === undefined) return undefined;
    const existing = this.findSignal.get(signalKey);
    return existing === undefined
      ? undefined
      : { order: this.orders.get(existing as ClientOrderId)!, created: false };
  }

  /**
   * Appends one event of an order and applies it. Committed before it is applied, so memory never
   * holds what the file does not. `eventId` is the venue's id for a non-fill event, if it has one.
   */
  append(
    clientOrderId: ClientOrderId,
    event: OrderEvent,
    eventId?: string,
    now: number = Date.now(),
  ): AppendResult {
    const order = this.require(clientOrderId);
    const key = event.kind === 'fill' ? `trade:${event.tradeId}` : (eventId ?? null);
    const { changes } = this.insertEvent.run(clientOrderId, event.kind, key, JSON.stringify(event), now);
    if (changes === 0) {
      return { recorded: false, outcome: { effect: 'duplicate', from: order.status, to: order.status } };
    }
    return { recorded: true, outcome: this.apply(order, event) };
  }

  /** Applies an event to its order, keeping the owner's position in step with its fills. */
  private apply(order: Order, event: OrderEvent): ReturnType<Order['apply']> {
    const before = order.positionDelta;
    const outcome = order.apply(event);
    const delta = order.positionDelta - before;
    if (delta !== 0) {
      const key = positionKey(order.intent.owner, order.intent.venue, order.intent.symbol);
      this.positionsByKey.set(key, (this.positionsByKey.get(key) ?? 0) + delta);
    }
    return outcome;
  }

  /** Appends several events in one transaction (one disk flush): a venue's batch of reports. */
  appendAll(
    events: readonly { clientOrderId: ClientOrderId; event: OrderEvent; eventId?: string }[],
  ): AppendResult[] {
    // Every order must be known before the first write: a throw halfway would roll the file back
    // but not the events already applied in memory.
    for (const { clientOrderId } of events) this.require(clientOrderId);
    return this.db.transaction(() => events.map((e) => this.append(e.clientOrderId, e.event, e.eventId)))();
  }

  /** Runs `work` in one transaction (one disk flush for a batch of appends, e.g. a reconciliation). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  get(clientOrderId: ClientOrderId): Order | undefined {
    return this.orders.get(clientOrderId);
  }

  /** Every order, in the order the intents were recorded. */
  all(): Order[] {
    return [...this.orders.values()];
  }

  /** One owner's signed position in one symbol on one venue, from its orders' fills. */
  positionOf(owner: string, venue: string, symbol: string): number {
    return this.positionsByKey.get(positionKey(owner, venue, symbol)) ?? 0;
  }

  /** Orders that may still trade (and those never sent: INITIALIZED after a crash before the send). */
  openOrders(): Order[] {
    return this.all().filter((order) => order.isOpen || order.status === 'INITIALIZED');
  }

  /** Non-zero positions per owner, venue and symbol. */
  positions(): JournalPosition[] {
    const byKey = new Map<string, JournalPosition>();
    for (const order of this.orders.values()) {
      if (order.fills.length === 0) continue;
      const { owner, venue, symbol } = order.intent;
      const key = JSON.stringify([owner, venue, symbol]);
      const position = byKey.get(key) ?? { owner, venue, symbol, quantity: 0 };
      position.quantity += order.positionDelta;
      byKey.set(key, position);
    }
    return [...byKey.values()].filter((position) => position.quantity !== 0);
  }

  private require(clientOrderId: ClientOrderId): Order {
    const order = this.orders.get(clientOrderId);
    if (order === undefined)
      throw new RangeError(`no order ${clientOrderId} in the journal: record its intent first`);
    return order;
  }

  /** Rebuilds every order from the log, in the order it was written. */
  private replay(): void {
    this.orders.clear();
    const intents = this.db.prepare('SELECT * FROM order_intents ORDER BY seq').all() as IntentRow[];
    for (const row of intents) {
      const intent: OrderIntent = {
        clientOrderId: row.client_order_id as ClientOrderId,
        owner: row.owner,
        venue: row.venue,
        symbol: row.symbol,
        side: row.side,
        type: row.type,
        quantity: row.quantity,
        price: row.price ?? undefined,
        timeInForce: row.time_in_force,
        createdAt: row.created_at,
      };
      this.orders.set(intent.clientOrderId, new Order(intent));
    }
    const events = this.db
      .prepare('SELECT client_order_id, payload FROM order_events ORDER BY seq')
      .raw()
      .iterate() as IterableIterator<[ClientOrderId, string]>;
    for (const [id, payload] of events) this.apply(this.orders.get(id)!, JSON.parse(payload) as OrderEvent);
  }
}

/** Refuses an intent a venue would refuse or the journal could not replay, naming the field. */
function checkIntent(intent: OrderIntent): void {
  const problem = (field: string, message: string) => new RangeError(`${field}: ${message}`);
  if (!isClientOrderId(intent.clientOrderId))
    throw problem('clientOrderId', 'must be 1 to 32 of A-Z a-z 0-9 _ -');
  if (intent.owner === '') throw problem('owner', 'is required');
  if (intent.venue === '') throw problem('venue', 'is required');
  if (intent.symbol === '') throw problem('symbol', 'is required');
  if (!sides.includes(intent.side)) throw problem('side', `must be buy or sell, got ${String(intent.side)}`);
  if (!orderTypes.includes(intent.type)) throw problem('type', `must be one of ${orderTypes.join(', ')}`);
  if (!timesInForce.includes(intent.timeInForce))
    throw problem('timeInForce', `must be one of ${timesInForce.join(', ')}`);
  if (!(Number.isFinite(intent.quantity) && intent.quantity > 0))
    throw problem('quantity', 'must be a positive number');
  if (intent.type !== 'market' && !(Number.isFinite(intent.price) && intent.price! > 0)) {
    throw problem('price', `a ${intent.type} order needs a positive price`);
  }
}

function positionKey(owner: string, venue: string, symbol: string): string {
  return `${owner}\u0000${venue}\u0000${symbol}`;
}

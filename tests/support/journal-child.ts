// A process that journals orders and fills as fast as it can, for the kill -9 test
// (tests/integration/order-journal-kill.test.ts). It prints one JSON line per committed write —
// after the commit, with a synchronous write — so the parent knows a lower bound of what is on disk
// when it kills this process at a random point.
//
// Each start behaves like the runtime after a restart: it replays the journal, the "venue"
// redelivers every fill of the orders still open (duplicates the journal must ignore), the last
// signal is evaluated again (it must not make a second order), and then new orders flow for five
// owners: intent → submitted → accepted → fills (some partial, some after a cancel was sent) → end.
import { writeSync } from 'node:fs';
import type { ClientOrderId } from '../../core/domain/client-order-id.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import type { OrderEvent } from '../../core/orders/order-events.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { openDatabase } from '../../core/storage/database.ts';

const file = process.argv[2]!;
const db = openDatabase(file);
// NORMAL: in WAL mode it is as safe as FULL against a killed process (what this test does); FULL adds
// only the power-cut case, which no test can stage, at a disk flush per write.
const journal = new OrderJournal(db, { durability: 'normal' });
const ids = ClientOrderIds.open(db);

function ack(line: Record<string, unknown>): void {
  writeSync(1, `${JSON.stringify(line)}\n`);
}

let eventCount = 0;
function append(id: ClientOrderId, event: OrderEvent): void {
  // Every event carries an id, as venues' execution reports do: appends are then idempotent.
  const eventId = event.kind === 'fill' ? undefined : `${id}:${event.kind}:${eventCount++}`;
  const { recorded } = journal.append(id, event, eventId);
  if (recorded)
    ack({ id, kind: event.kind, key: event.kind === 'fill' ? `trade:${event.tradeId}` : eventId });
}

ack({ ready: true, orders: journal.all().length });

// The venue redelivers what it sent before the crash: nothing may be doubled.
for (const order of journal.openOrders()) {
  for (const fill of order.fills) journal.append(order.intent.clientOrderId, { kind: 'fill', ...fill });
}
// The last signal is evaluated again after the restart: it must find its order, not make another.
let signal = journal.all().length;
if (signal > 0) {
  const last = journal.all().at(-1)!;
  const again = journal.recordIntent({ ...last.intent, clientOrderId: ids.next() }, `signal-${signal - 1}`);
  if (again.created) throw new Error(`signal-${signal - 1} made a second order`);
}
// Orders left open by the crash are finished: the venue reports the rest filled.
for (const order of journal.openOrders()) {
  const id = order.intent.clientOrderId;
  if (order.status === 'INITIALIZED') append(id, { kind: 'submitted' });
  if (order.remaining > 0) append(id, fillOf(id, 'end', order.remaining));
}

function fillOf(id: ClientOrderId, n: string, quantity: number): OrderEvent {
  return {
    kind: 'fill',
    tradeId: `${id}-${n}`,
    quantity,
    price: 100 + (signal % 7),
    fee: 0.01,
    time: signal,
  };
}

for (;;) {
  const owner = `bot-${signal % 5}`;
  const id = ids.next();
  const quantity = 1 + (signal % 4);
  const { created } = journal.recordIntent(
    {
      clientOrderId: id,
      owner,
      venue: 'simulated',
      symbol: signal % 2 === 0 ? 'GOOG' : 'EURUSD',
      side: signal % 3 === 0 ? 'sell' : 'buy',
      type: 'market',
      quantity,
      timeInForce: 'GTC',
      createdAt: signal,
    },
    `signal-${signal}`,
  );
  if (created) ack({ id, kind: 'intent', signal: `signal-${signal}` });
  append(id, { kind: 'submitted' });
  append(id, { kind: 'accepted', venueOrderId: `V${signal}` });
  if (quantity > 1) append(id, fillOf(id, 'a', 1));
  if (signal % 5 === 4) append(id, { kind: 'cancel_requested' });
  append(id, fillOf(id, 'b', quantity > 1 ? quantity - 1 : quantity));
  if (signal % 5 === 4) append(id, { kind: 'canceled' });
  signal++;
}

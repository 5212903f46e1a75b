// The order path end to end, as the runtime will run it: intent committed, `submitted` appended,
// then the venue called; every venue event appended to the journal. After a restart the journal
// alone gives back what the venue holds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../core/domain/bar.ts';
import { defineInstrument } from '../../core/domain/instrument.ts';
import type { OrderType, Side } from '../../core/domain/order-terms.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { SimulatedExchange } from '../../core/venues/simulated/simulated-exchange.ts';
import { mayHaveReachedVenue } from '../../core/venues/venue-error.ts';

const eurusd = defineInstrument({
  symbol: 'EURUSD',
  venue: 'simulated',
  tickSize: 0.00001,
  quantityStep: 1000,
});

let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'autobot-path-'));
  db = openDatabase(path.join(dir, 'journal.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const bar = (time: number, open: number): Bar => ({
  time,
  open,
  high: open + 0.001,
  low: open - 0.001,
  close: open,
  volume: 1,
});

describe('order path: journal → venue → journal', () => {
  it('journals every event, and a restart replays to the venue’s positions', async () => {
    const journal = new OrderJournal(db);
    const ids = ClientOrderIds.open(db);
    const venue = new SimulatedExchange({
      instruments: [eurusd],
      fees: { commission: 0.0001, fixedFee: 0 },
      slippage: 0,
      cash: 100_000,
    });
    venue.onEvent((event) => {
      if (event.type === 'order') journal.append(event.clientOrderId, event.event, event.eventId);
    });
    await venue.connect();

    async function send(side: Side, quantity: number, type: OrderType = 'market', price?: number) {
      const clientOrderId = ids.next();
      journal.recordIntent({
        clientOrderId,
        owner: 'bot-1',
        venue: venue.id,
        symbol: 'EURUSD',
        side,
        type,
        quantity,
        price,
        timeInForce: 'GTC',
        createdAt: 0,
      });
      journal.append(clientOrderId, { kind: 'submitted' });
      try {
        await venue.submit({
          clientOrderId,
          symbol: 'EURUSD',
          side,
          type,
          quantity,
          price,
          timeInForce: 'GTC',
        });
      } catch (error) {
        // outcome_unknown stays SUBMITTED for reconciliation; a refusal is the order's end.
        if (!mayHaveReachedVenue(error))
          journal.append(clientOrderId, { kind: 'rejected', reason: String(error) });
      }
      return clientOrderId;
    }

    const buy = await send('buy', 10_000);
    venue.pushBar('EURUSD', bar(3_600, 1.07219));
    venue.injectFault('outcome_unknown');
    const lost = await send('sell', 3_000, 'limit', 1.075);
    const refused = await send('buy', 1_500);
    venue.pushBar('EURUSD', bar(7_200, 1.0755));

    expect(journal.get(buy)?.status).toBe('FILLED');
    // Its acknowledgement was lost, but its fill is an event like any other: counted.
    expect(journal.get(lost)).toMatchObject({ status: 'FILLED', filledQuantity: 3_000 });
    expect(journal.get(refused)).toMatchObject({ status: 'REJECTED' });
    expect(journal.get(refused)?.reason).toMatch(/1500 is not a positive multiple of 1000/);

    const venuePositions = await venue.positions();
    const restarted = openDatabase(path.join(dir, 'journal.db'));
    const replayed = new OrderJournal(restarted).positions();
    restarted.close();
    expect(replayed).toEqual([
      { owner: 'bot-1', venue: 'simulated', symbol: 'EURUSD', quantity: venuePositions[0]!.quantity },
    ]);
    expect(venuePositions[0]!.quantity).toBe(7_000);
  });
});

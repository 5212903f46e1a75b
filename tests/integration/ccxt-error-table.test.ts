// The error table of docs/ccxt.md, row by row, from real HTTP answers of the loopback Binance
// through ccxt's binance class: what the exchange (or the network) did → the kind the runtime acts
// on. "outcome_unknown" rows are the ones where the order may exist: they must never be "rejected".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toClientOrderId } from '../../core/domain/client-order-id.ts';
import { CcxtVenue } from '../../core/venues/ccxt/ccxt-venue.ts';
import { ExchangeRegistry } from '../../core/venues/ccxt/exchange-registry.ts';
import { VenueError } from '../../core/venues/venue-error.ts';
import { FakeBinance, type FaultKind } from '../support/fake-binance.ts';

let fake: FakeBinance;
beforeAll(async () => {
  fake = await new FakeBinance().start();
});
afterAll(() => fake.stop());

interface Row {
  what: string;
  fault?: FaultKind;
  arrange?: (fake: FakeBinance) => void;
  quantity?: number;
  secret?: string;
  kind: VenueError['kind'];
  code: string;
}

const rows: Row[] = [
  { what: '429 too many requests', fault: '429', kind: 'retry_later', code: 'rate_limited' },
  { what: '418 IP ban warning', fault: '418', kind: 'retry_later', code: 'ip_banned' },
  { what: '500 -1000 unknown error', fault: '500', kind: 'outcome_unknown', code: 'unknown' },
  { what: '503 service unavailable', fault: '503', kind: 'outcome_unknown', code: 'unavailable' },
  { what: 'no answer within the timeout', fault: 'hang', kind: 'outcome_unknown', code: 'timeout' },
  { what: 'connection reset before the answer', fault: 'lost', kind: 'outcome_unknown', code: 'network' },
  {
    what: 'connection reset before the request was read',
    fault: 'drop',
    kind: 'outcome_unknown',
    code: 'network',
  },
  { what: '-2010 insufficient balance', quantity: 1_000, kind: 'rejected', code: 'insufficient_funds' },
  { what: '-2015 invalid API key', secret: 'wrong', kind: 'rejected', code: 'authentication' },
  {
    what: '-1021 timestamp outside recvWindow',
    arrange: (f) => (f.clockOffsetMs = 60_000),
    kind: 'retry_later',
    code: 'clock_skew',
  },
];

describe('ccxt error classification against the loopback Binance', () => {
  let n = 0;
  it.each(rows)('$what → $kind ($code)', async (row) => {
    const registry = new ExchangeRegistry();
    const venue = new CcxtVenue({
      exchange: 'binance',
      apiKey: fake.apiKey,
      secret: row.secret ?? fake.secret,
      apiUrl: fake.url,
      registry,
      pollIntervalMs: 0,
      timeoutMs: 1_500,
    });
    fake.clockOffsetMs = 0;
    await venue.connect();
    try {
      row.arrange?.(fake);
      if (row.fault !== undefined) fake.inject({ kind: row.fault, route: 'POST /api/v3/order' });
      const error = await venue
        .submit({
          clientOrderId: toClientOrderId(`et-${++n}`),
          symbol: 'BTC/USDT',
          side: 'buy',
          type: 'limit',
          quantity: row.quantity ?? 0.001,
          price: 29_000,
          timeInForce: 'GTC',
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(VenueError);
      expect({ kind: (error as VenueError).kind, code: (error as VenueError).code }).toEqual({
        kind: row.kind,
        code: row.code,
      });
    } finally {
      fake.clockOffsetMs = 0;
      await venue.disconnect();
      await registry.closeAll();
    }
  });
});

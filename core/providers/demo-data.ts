// Demo mode: what a provider shows before the user has saved its key. Every value is generated
// here, from a seed made of the request (the same request shows the same data), and every answer
// that carries it says `demo: true` so pages label it "demo data". Demo answers are never stored:
// storage holds only what a real provider or the user's own files supplied.
import { seededRandom } from '../optimize/seeded-random.ts';
import type {
  CandleRequest,
  CandleSource,
  Headline,
  MacroSeries,
  MacroSource,
  NewsSource,
  ProviderCandles,
  Quote,
  QuoteSource,
  RevenueSource,
  StoreRevenue,
} from './data-kinds.ts';
import { macroPresets } from './fred.ts';
import type { ProviderId } from './provider-ids.ts';

const intervalSeconds = { '5m': 300, '15m': 900, '30m': 1800, '1h': 3600, '1d': 86_400 } as const;

/** FNV-1a: a stable seed from text. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function dayStart(ms: number): number {
  return Math.floor(ms / 86_400_000) * 86_400_000;
}

const demoHeadlineTemplates: readonly string[] = [
  '{s} beats earnings estimates as revenue growth accelerates',
  '{s} shares fall after weak guidance and rising costs',
  'Analysts upgrade {s} citing strong demand',
  '{s} faces lawsuit over alleged patent infringement',
  '{s} announces record profit and higher dividend',
  'Regulators open probe into {s} practices',
  '{s} launches new product line, outlook improves',
  '{s} cuts jobs amid slowing sales',
  '{s} stock rallies on upbeat forecast',
  '{s} misses revenue expectations, shares decline',
];

export class DemoMarket implements CandleSource, QuoteSource, MacroSource, NewsSource, RevenueSource {
  readonly id: ProviderId;
  readonly #now: () => number;

  constructor(id: ProviderId, now: () => number = Date.now) {
    this.id = id;
    this.#now = now;
  }

  async candles(request: CandleRequest): Promise<ProviderCandles> {
    const step = intervalSeconds[request.interval];
    const count = 300;
    const random = seededRandom(seedOf(`${this.id}:${request.symbol}:${request.interval}`));
    const end = Math.floor(dayStart(this.#now()) / 1000);
    let price =
      request.asset === 'fx'
        ? 1 + random.next()
        : request.asset === 'crypto'
          ? 20_000 + 40_000 * random.next()
          : 50 + 200 * random.next();
    const out: ProviderCandles = {
      symbol: request.symbol,
      interval: request.interval,
      time: [],
      open: [],
      high: [],
      low: [],
      close: [],
      volume: [],
    };
    for (let i = count - 1; i >= 0; i -= 1) {
      const open = price;
      const close = open * (1 + (random.next() - 0.49) * 0.03);
      out.time.push(end - i * step);
      out.open.push(round(open));
      out.close.push(round(close));
      out.high.push(round(Math.max(open, close) * (1 + random.next() * 0.01)));
      out.low.push(round(Math.min(open, close) * (1 - random.next() * 0.01)));
      out.volume.push(Math.round(1e5 + random.next() * 1e6));
      price = close;
    }
    return out;
  }

  async quotes(request: { vsCurrency: string; limit: number }): Promise<Quote[]> {
    const coins = [
      'bitcoin:BTC:Bitcoin',
      'ethereum:ETH:Ethereum',
      'solana:SOL:Solana',
      'cardano:ADA:Cardano',
    ];
    return coins.slice(0, request.limit).map((coin) => {
      const [id, symbol, name] = coin.split(':') as [string, string, string];
      const random = seededRandom(seedOf(`${id}:${dayStart(this.#now())}`));
      const price = round(10 + random.next() * 50_000);
      return {
        id,
        symbol,
        name,
        price,
        change24hPct: round((random.next() - 0.5) * 10),
        marketCap: Math.round(price * 1e7),
        volume24h: Math.round(price * 1e5),
      };
    });
  }

  async series(seriesId: string): Promise<MacroSeries> {
    const id = seriesId.trim().toUpperCase();
    const preset = macroPresets.find((series) => series.id === id);
    const random = seededRandom(seedOf(`macro:${id}`));
    const levels: Record<string, [number, number]> = {
      CPIAUCSL: [290, 0.25],
      UNRATE: [4, 0.1],
      FEDFUNDS: [4.5, 0.1],
      DGS10: [4, 0.08],
    };
    const [start, drift] = levels[id] ?? [100, 0.5];
    const points = [];
    const month = new Date(dayStart(this.#now()));
    let value = start;
    for (let i = 59; i >= 0; i -= 1) {
      const date = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() - i, 1));
      value =
        id === 'CPIAUCSL'
          ? value + drift * random.next() * 2
          : Math.max(0, value + (random.next() - 0.5) * drift * 2);
      points.push({ date: date.toISOString().slice(0, 10), value: round(value) });
    }
    return { id, title: preset?.title ?? id, units: preset?.units ?? 'units', points };
  }

  async headlines(query: string, options: { limit: number }): Promise<Headline[]> {
    const random = seededRandom(seedOf(`news:${query}`));
    const now = this.#now();
    const subject = query.trim() || 'Markets';
    return Array.from({ length: Math.min(options.limit, 12) }, (_, i) => ({
      title: demoHeadlineTemplates[random.int(demoHeadlineTemplates.length)]!.replace('{s}', subject),
      source: 'AUTOBOT demo',
      url: null,
      publishedAt: new Date(dayStart(now) - i * 6 * 3_600_000).toISOString(),
    }));
  }

  async dailyRevenue(range: { from: string; to: string }): Promise<StoreRevenue> {
    const days = [];
    const from = Date.parse(`${range.from}T00:00:00Z`);
    const to = Date.parse(`${range.to}T00:00:00Z`);
    for (let day = from; day <= to && days.length < 400; day += 86_400_000) {
      const random = seededRandom(seedOf(`shop:${day}`));
      const orders = 5 + random.int(30);
      days.push({
        date: new Date(day).toISOString().slice(0, 10),
        orders,
        revenue: Math.round(orders * (2_000 + random.next() * 6_000)) / 100,
      });
    }
    return { currency: 'USD', days };
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

// A loopback stand-in for every market-data provider AUTOBOT speaks to, answering with the shapes
// each one documents: AlphaVantage (/query), TwelveData (/time_series), CoinGecko (/api/v3/coins/…),
// FRED (/fred/series/observations), NewsAPI (/v2/everything) and Shopify's GraphQL Admin API.
// Keys are checked like the real ones do, and the next answers can be made to fail: 429 (with
// Retry-After), 500, a request that never answers, a body that is not JSON, or a changed shape.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type PeerFault = '429' | '500' | 'hang' | 'not-json' | 'changed-shape' | 'shopify-throttled';

export interface PeerRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the peer answers with: distinctive values tests (and e2e) look for. */
export const peerKeys = {
  alphavantage: 'av-loopback-key',
  twelvedata: 'td-loopback-key',
  coingecko: 'cg-loopback-key',
  fred: 'fred-loopback-key',
  newsapi: 'news-loopback-key',
  shopify: 'shpat_loopback_token',
} as const;

export const peerHeadlines = [
  { title: 'Loopback Corp soars on record profit and strong growth', publishedAt: '2024-05-02T13:30:00Z' },
  { title: 'Loopback Corp faces lawsuit as losses widen', publishedAt: '2024-05-01T09:00:00Z' },
  { title: 'Loopback Corp holds annual meeting', publishedAt: '2024-04-30T16:00:00Z' },
];

/** Shopify orders: 2024-05-01 has two (100.10 + 24.46), 2024-05-02 one (1110.00); 3 pages of 1. */
export const peerOrders = [
  { createdAt: '2024-05-01T10:00:00Z', amount: '100.10' },
  { createdAt: '2024-05-01T18:30:00Z', amount: '24.46' },
  { createdAt: '2024-05-02T08:15:00Z', amount: '1110.00' },
];

export interface ProviderPeer {
  url: string;
  requests: PeerRequest[];
  /** The next answers (of any route) fail this way, one fault per request, in order. */
  failNext(...faults: PeerFault[]): void;
  /** Shopify's throttle budget the next answers report (to test cost-aware paging). */
  shopifyBudget: { currentlyAvailable: number; requestedQueryCost: number; restoreRate: number };
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

function alphaVantage(query: Record<string, string>): Answer {
  if (query.apikey !== peerKeys.alphavantage)
    return {
      status: 200,
      body: {
        'Error Message':
          'the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key).',
      },
    };
  if (query.symbol === 'NOSUCH')
    return {
      status: 200,
      body: { 'Error Message': 'Invalid API call. Please retry or visit the documentation.' },
    };
  const bar = (open: number) => ({
    '1. open': open.toFixed(4),
    '2. high': (open + 2).toFixed(4),
    '3. low': (open - 1).toFixed(4),
    '4. close': (open + 1).toFixed(4),
    '5. volume': '1000',
  });
  const fx = query.function?.startsWith('FX_');
  const fxBar = (open: number) => {
    const { '5. volume': _volume, ...rest } = bar(open);
    return rest;
  };
  switch (query.function) {
    case 'TIME_SERIES_DAILY':
    case 'FX_DAILY':
      return {
        status: 200,
        body: {
          'Meta Data': {
            '1. Information': 'Daily Prices (open, high, low, close) and Volumes',
            '2. Symbol': query.symbol ?? `${query.from_symbol}${query.to_symbol}`,
            '3. Last Refreshed': '2024-05-03',
            '4. Output Size': 'Full size',
            '5. Time Zone': 'US/Eastern',
          },
          [fx ? 'Time Series FX (Daily)' : 'Time Series (Daily)']: {
            '2024-05-03': fx ? fxBar(103) : bar(103),
            '2024-05-02': fx ? fxBar(102) : bar(102),
            '2024-05-01': fx ? fxBar(101) : bar(101),
          },
        },
      };
    case 'TIME_SERIES_INTRADAY':
      return {
        status: 200,
        body: {
          'Meta Data': {
            '1. Information': `Intraday (${query.interval}) open, high, low, close prices and volume`,
            '2. Symbol': query.symbol,
            '3. Last Refreshed': '2024-05-03 16:00:00',
            '4. Interval': query.interval,
            '5. Output Size': 'Full size',
            '6. Time Zone': 'US/Eastern',
          },
          [`Time Series (${query.interval})`]: {
            '2024-05-03 10:00:00': bar(201),
            '2024-05-03 09:30:00': bar(200),
          },
        },
      };
    default:
      return { status: 200, body: { 'Error Message': 'Invalid API call.' } };
  }
}

function twelveData(query: Record<string, string>, headers: PeerRequest['headers']): Answer {
  if (headers.authorization !== `apikey ${peerKeys.twelvedata}`)
    return {
      status: 401,
      body: { code: 401, message: '**apikey** parameter is incorrect or not specified.', status: 'error' },
    };
  if (query.symbol === 'NOSUCH')
    return {
      status: 404,
      body: {
        code: 404,
        message: '**symbol** or **figi** parameter is missing or invalid.',
        status: 'error',
      },
    };
  return {
    status: 200,
    body: {
      meta: {
        symbol: query.symbol,
        interval: query.interval,
        currency: 'USD',
        exchange_timezone: 'UTC',
        exchange: 'NASDAQ',
        mic_code: 'XNGS',
        type: 'Common Stock',
      },
      values: [
        { datetime: '2024-05-03', open: '303.5', high: '305', low: '302', close: '304.25', volume: '5000' },
        { datetime: '2024-05-02', open: '302.5', high: '304', low: '301', close: '303.25', volume: '4000' },
      ],
      status: 'ok',
    },
  };
}

function coinGecko(path: string, query: Record<string, string>, headers: PeerRequest['headers']): Answer {
  if (headers['x-cg-demo-api-key'] !== peerKeys.coingecko)
    return { status: 401, body: { status: { error_code: 10002, error_message: 'API Key Missing' } } };
  if (path === '/api/v3/coins/markets')
    return {
      status: 200,
      body: [
        {
          id: 'bitcoin',
          symbol: 'btc',
          name: 'Bitcoin',
          image: 'https://example.invalid/btc.png',
          current_price: 64321.5,
          market_cap: 1_265_000_000_000,
          market_cap_rank: 1,
          total_volume: 31_000_000_000,
          high_24h: 65000,
          low_24h: 63000,
          price_change_24h: 321.5,
          price_change_percentage_24h: 0.5,
          last_updated: '2024-05-03T12:00:00.000Z',
        },
      ].slice(0, Number(query.per_page ?? 100)),
    };
  const coin = /^\/api\/v3\/coins\/([^/]+)\/(market_chart|ohlc)$/.exec(path);
  if (!coin || coin[1] !== 'bitcoin') return { status: 404, body: { error: 'coin not found' } };
  const day = (d: number) => Date.UTC(2024, 4, d);
  if (coin[2] === 'ohlc') return { status: 200, body: [[day(3), 64000, 64500, 63900, 64321.5]] };
  return {
    status: 200,
    body: {
      prices: [
        [day(1), 60000],
        [day(2), 62000],
        [day(3), 64321.5],
      ],
      market_caps: [
        [day(1), 1.2e12],
        [day(2), 1.22e12],
        [day(3), 1.265e12],
      ],
      total_volumes: [
        [day(1), 3e10],
        [day(2), 3.1e10],
        [day(3), 3.2e10],
      ],
    },
  };
}

function fred(query: Record<string, string>): Answer {
  if (query.api_key !== peerKeys.fred)
    return {
      status: 400,
      body: {
        error_code: 400,
        error_message:
          'Bad Request.  The value for variable api_key is not registered.  Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.',
      },
    };
  if (!['CPIAUCSL', 'UNRATE', 'FEDFUNDS', 'DGS10', 'GDP'].includes(query.series_id ?? ''))
    return {
      status: 400,
      body: { error_code: 400, error_message: 'Bad Request.  The series does not exist.' },
    };
  const values = {
    CPIAUCSL: ['313.548', '314.159'],
    UNRATE: ['3.9', '4.1'],
    FEDFUNDS: ['5.33', '5.33'],
    DGS10: ['4.50', '.'],
    GDP: ['28000', '28269.174'],
  }[query.series_id as 'CPIAUCSL'];
  return {
    status: 200,
    body: {
      realtime_start: '2024-05-03',
      realtime_end: '2024-05-03',
      observation_start: '1600-01-01',
      observation_end: '9999-12-31',
      units: 'lin',
      output_type: 1,
      file_type: 'json',
      order_by: 'observation_date',
      sort_order: 'asc',
      count: 3,
      offset: 0,
      limit: 100000,
      observations: [
        { realtime_start: '2024-05-03', realtime_end: '2024-05-03', date: '2024-02-01', value: values[0] },
        { realtime_start: '2024-05-03', realtime_end: '2024-05-03', date: '2024-03-01', value: '.' },
        { realtime_start: '2024-05-03', realtime_end: '2024-05-03', date: '2024-04-01', value: values[1] },
      ],
    },
  };
}

function newsApi(headers: PeerRequest['headers']): Answer {
  if (headers['x-api-key'] !== peerKeys.newsapi)
    return {
      status: 401,
      body: {
        status: 'error',
        code: 'apiKeyInvalid',
        message:
          'Your API key is invalid or incorrect. Check your key, or go to https://newsapi.org to create a free API key.',
      },
    };
  return {
    status: 200,
    body: {
      status: 'ok',
      totalResults: peerHeadlines.length,
      articles: peerHeadlines.map((headline, i) => ({
        source: { id: null, name: `Loopback Wire ${i + 1}` },
        author: 'Peer',
        title: headline.title,
        description: 'A test article.',
        url: `https://example.invalid/news/${i}`,
        urlToImage: null,
        publishedAt: headline.publishedAt,
        content: 'A test article. [+100 chars]',
      })),
    },
  };
}

function shopify(
  headers: PeerRequest['headers'],
  body: string,
  budget: ProviderPeer['shopifyBudget'],
): Answer {
  if (headers['x-shopify-access-token'] !== peerKeys.shopify)
    return {
      status: 401,
      body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
    };
  const request = JSON.parse(body) as { query: string; variables: { cursor: string | null } };
  const start =
    request.variables.cursor === null
      ? 0
      : Number(Buffer.from(request.variables.cursor, 'base64').toString());
  // One order a page, so paging is exercised with three orders.
  const order = peerOrders[start]!;
  const next = start + 1;
  return {
    status: 200,
    body: {
      data: {
        orders: {
          nodes: [
            {
              createdAt: order.createdAt,
              totalPriceSet: { shopMoney: { amount: order.amount, currencyCode: 'EUR' } },
            },
          ],
          pageInfo: {
            hasNextPage: next < peerOrders.length,
            endCursor: Buffer.from(String(next)).toString('base64'),
          },
        },
      },
      extensions: {
        cost: {
          requestedQueryCost: budget.requestedQueryCost,
          actualQueryCost: 4,
          throttleStatus: {
            maximumAvailable: 2000,
            currentlyAvailable: budget.currentlyAvailable,
            restoreRate: budget.restoreRate,
          },
        },
      },
    },
  };
}

function route(request: PeerRequest, budget: ProviderPeer['shopifyBudget']): Answer {
  if (request.path === '/query') return alphaVantage(request.query);
  if (request.path === '/time_series') return twelveData(request.query, request.headers);
  if (request.path.startsWith('/api/v3/')) return coinGecko(request.path, request.query, request.headers);
  if (request.path === '/fred/series/observations') return fred(request.query);
  if (request.path === '/v2/everything') return newsApi(request.headers);
  if (/^\/admin\/api\/[\d-]+\/graphql\.json$/.test(request.path) && request.method === 'POST')
    return shopify(request.headers, request.body, budget);
  return { status: 404, body: { error: 'no such route on the provider peer' } };
}

export async function startProviderPeer(): Promise<ProviderPeer> {
  const faults: PeerFault[] = [];
  const requests: PeerRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const shopifyBudget = { currentlyAvailable: 2000, requestedQueryCost: 12, restoreRate: 100 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://peer');
      const request: PeerRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(request);
      const fault = faults.shift();
      if (fault === 'hang') {
        hanging.add(res);
        return;
      }
      if (fault === '429') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end(JSON.stringify({ status: 'error', code: 'rateLimited', message: 'Too many requests' }));
        return;
      }
      if (fault === '500') {
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end('<html><body>Internal Server Error</body></html>');
        return;
      }
      if (fault === 'shopify-throttled') {
        // Shopify's documented throttle answer: HTTP 200, an error coded THROTTLED, and the budget.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errors: [
              {
                message: 'Throttled',
                extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
              },
            ],
            extensions: {
              cost: {
                requestedQueryCost: 12,
                actualQueryCost: null,
                throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 7, restoreRate: 100 },
              },
            },
          }),
        );
        return;
      }
      if (fault === 'not-json') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Maintenance</body></html>');
        return;
      }
      const answer = route(request, shopifyBudget);
      let body = answer.body;
      if (fault === 'changed-shape') body = renamedKeys(body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (...more) => faults.push(...more),
    shopifyBudget,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The same answer with every object key renamed, as if the provider had changed its API. */
function renamedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renamedKeys);
  if (typeof value !== 'object' || value === null) return typeof value === 'string' ? 12 : value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [`${key}_v2`, renamedKeys(inner)]));
}

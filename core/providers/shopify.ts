// Shopify: a store's orders → daily revenue through the GraphQL Admin API
// (https://shopify.dev/docs/api/admin-graphql). Paginated with cursors; rate-limited by query cost:
// each answer's extensions.cost.throttleStatus says how many points are left and how fast they come
// back, so the next page waits until its cost is available instead of earning THROTTLED.
import { z } from 'zod';
import type { RevenueSource, StoreRevenue } from './data-kinds.ts';
import { providerError } from './provider-error.ts';
import { providerHttp, providerUrl, type ProviderContext } from './provider-context.ts';
import type { EmbeddedError, ProviderHttp } from './provider-http.ts';
import { systemClock } from './rate-limiter.ts';

export const shopifyApiVersion = '2025-01';
/** Orders per page: Shopify's maximum for a connection. */
const pageSize = 250;
/** A bound on pages per request (62,500 orders): a loop on a misbehaving cursor must end. */
const maxPages = 250;

/** A store's own admin domain: SHOP.myshopify.com (custom domains do not serve the Admin API). */
export const shopDomainPattern = /^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/;

const ordersQuery = `query Orders($cursor: String, $query: String) {
  orders(first: ${pageSize}, after: $cursor, query: $query, sortKey: CREATED_AT) {
    nodes { createdAt totalPriceSet { shopMoney { amount currencyCode } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const costSchema = z.object({
  requestedQueryCost: z.number(),
  actualQueryCost: z.number().nullable().optional(),
  throttleStatus: z.object({
    maximumAvailable: z.number(),
    currentlyAvailable: z.number(),
    restoreRate: z.number().positive(),
  }),
});

const answerSchema = z.object({
  data: z.object({
    orders: z.object({
      nodes: z.array(
        z.object({
          createdAt: z.string().refine((text) => Number.isFinite(Date.parse(text)), 'must be a date'),
          totalPriceSet: z.object({
            shopMoney: z.object({
              amount: z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal amount'),
              currencyCode: z.string(),
            }),
          }),
        }),
      ),
      pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    }),
  }),
  extensions: z.object({ cost: costSchema }).optional(),
});

function embeddedError(body: unknown, status: number): EmbeddedError | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as { errors?: unknown; extensions?: { cost?: unknown } };
  if (record.errors === undefined) return null;
  if (typeof record.errors === 'string')
    return status === 401 || /access token|api key/i.test(record.errors)
      ? { failure: 'key_refused', message: `refused the Admin API access token ("${record.errors}").` }
      : { failure: 'rejected', message: `refused the request ("${record.errors}").` };
  const errors = Array.isArray(record.errors)
    ? (record.errors as { message?: unknown; extensions?: { code?: unknown } }[])
    : [];
  const throttled = errors.some((error) => error.extensions?.code === 'THROTTLED');
  if (throttled) {
    const cost = costSchema.safeParse(record.extensions?.cost);
    const wait = cost.success
      ? Math.max(
          0,
          ((cost.data.requestedQueryCost - cost.data.throttleStatus.currentlyAvailable) /
            cost.data.throttleStatus.restoreRate) *
            1000,
        )
      : null;
    return {
      failure: 'rate_limited',
      message: 'says the query budget is used up (THROTTLED).',
      retryable: true,
      ...(wait !== null ? { retryAfterMs: Math.ceil(wait) } : {}),
    };
  }
  const first = errors.map((error) => error.message).find((message) => typeof message === 'string');
  if (/access/i.test(String(first ?? '')) && /denied|scope/i.test(String(first)))
    return {
      failure: 'key_refused',
      message: `says the token may not read orders ("${first}"). Give the app the read_orders scope.`,
    };
  return { failure: 'rejected', message: `refused the query ("${String(first ?? 'unknown error')}").` };
}

export class Shopify implements RevenueSource {
  readonly id = 'shopify' as const;
  readonly #http: ProviderHttp;
  readonly #context: ProviderContext;

  /** `context.baseUrl` is https://SHOP.myshopify.com (a loopback peer in tests). */
  constructor(context: ProviderContext) {
    this.#context = context;
    // Request-level limit is generous; the cost budget below is what Shopify actually meters.
    this.#http = providerHttp(this.id, context, { burst: 4, intervalMs: 500 });
  }

  async dailyRevenue(range: { from: string; to: string }): Promise<StoreRevenue> {
    const clock = this.#context.http?.clock ?? systemClock;
    const byDay = new Map<string, { cents: number; orders: number }>();
    let currency: string | null = null;
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page += 1) {
      const body: z.infer<typeof answerSchema> = await this.#http.json(
        {
          url: providerUrl(this.#context.baseUrl, `admin/api/${shopifyApiVersion}/graphql.json`),
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-shopify-access-token': this.#context.key },
          body: JSON.stringify({
            query: ordersQuery,
            variables: { cursor, query: `created_at:>=${range.from} created_at:<=${range.to}T23:59:59Z` },
          }),
        },
        { schema: answerSchema, embeddedError },
      );
      for (const order of body.data.orders.nodes) {
        const money = order.totalPriceSet.shopMoney;
        if (currency === null) currency = money.currencyCode;
        else if (currency !== money.currencyCode)
          throw providerError(
            this.id,
            'bad_payload',
            `answered orders in two currencies (${currency} and ${money.currencyCode}).`,
            'AUTOBOT sums one shop currency; report this store setup with this message.',
          );
        const day = new Date(order.createdAt).toISOString().slice(0, 10);
        const entry = byDay.get(day) ?? { cents: 0, orders: 0 };
        // Cents as integers: summing decimal strings as floats drifts by fractions of a cent.
        entry.cents += Math.round(Number(money.amount) * 100);
        entry.orders += 1;
        byDay.set(day, entry);
      }
      const info = body.data.orders.pageInfo;
      if (!info.hasNextPage || info.endCursor === null) break;
      cursor = info.endCursor;
      const cost = body.extensions?.cost;
      if (cost && cost.throttleStatus.currentlyAvailable < cost.requestedQueryCost) {
        const wait =
          ((cost.requestedQueryCost - cost.throttleStatus.currentlyAvailable) /
            cost.throttleStatus.restoreRate) *
          1000;
        await clock.sleep(Math.ceil(wait));
      }
    }
    const days = [...byDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, entry]) => ({ date, revenue: entry.cents / 100, orders: entry.orders }));
    return { currency: currency ?? 'USD', days };
  }
}

export function shopBaseUrl(domain: string): string {
  return `https://${domain}`;
}

// News sentiment: headlines for a query scored by the finance lexicon (NewsAPI, demo data without
// its key), the cache's counts, stored headlines per symbol as a sentiment series beside the price,
// and a backtest of rsi filtered on it (minSentiment).
import { useCallback, useEffect, useState } from 'react';
import type { CallInput, CallOutput } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card, Stat } from '../components/Card.tsx';
import { DemoLabel } from '../components/DemoLabel.tsx';
import { Button, Field, TextInput } from '../components/form.tsx';
import { LineChart } from '../components/LineChart.tsx';
import { Notice } from '../components/Notice.tsx';
import { ProviderKeys } from '../components/ProviderKeys.tsx';
import { formatNumber, formatPct } from '../components/format.ts';

type News = CallOutput<'news.headlines'>;
type Series = CallOutput<'sentiment.series'>;
type Headline = News['headlines'][number];

function scoreClass(score: number): string {
  return score > 0.05 ? 'text-emerald-300' : score < -0.05 ? 'text-red-300' : 'text-slate-400';
}

/** A file of headlines: a JSON list of {title, publishedAt, source?} or a saved NewsAPI answer. */
function headlinesOfFile(text: string): CallInput<'sentiment.import'>['headlines'] {
  const parsed = JSON.parse(text) as unknown;
  const list = Array.isArray(parsed)
    ? parsed
    : typeof parsed === 'object' &&
        parsed !== null &&
        Array.isArray((parsed as { articles?: unknown }).articles)
      ? (parsed as { articles: unknown[] }).articles
      : null;
  if (!list)
    throw new Error('The file holds neither a list of headlines nor a NewsAPI answer with "articles".');
  return list.map((item) => {
    const entry = item as { title?: unknown; publishedAt?: unknown; source?: unknown };
    const source =
      typeof entry.source === 'string'
        ? entry.source
        : typeof entry.source === 'object' && entry.source !== null
          ? String((entry.source as { name?: unknown }).name ?? '')
          : undefined;
    return {
      title: String(entry.title ?? ''),
      publishedAt: String(entry.publishedAt ?? ''),
      ...(source ? { source } : {}),
    };
  });
}

function HeadlineList({ headlines, testId }: { headlines: readonly Headline[]; testId: string }) {
  return (
    <ul className="flex flex-col divide-y divide-slate-800 text-sm" data-testid={testId}>
      {headlines.map((headline, i) => (
        <li key={`${headline.publishedAt}-${i}`} className="flex flex-wrap items-baseline gap-x-3 py-1.5">
          <span
            className={`w-12 shrink-0 text-right tabular-nums ${scoreClass(headline.score)}`}
            data-testid="headline-score"
          >
            {headline.score >= 0 ? '+' : ''}
            {headline.score.toFixed(2)}
          </span>
          <span className="min-w-0 flex-1 break-words" data-testid="headline-title">
            {headline.title}
          </span>
          <span className="text-xs text-slate-500">
            {headline.source} · {headline.publishedAt.slice(0, 10)}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function SentimentPage() {
  const [query, setQuery] = useState('GOOG');
  const [asked, setAsked] = useState('GOOG');
  const [news, setNews] = useState<News | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [symbol, setSymbol] = useState('GOOG');
  const [series, setSeries] = useState<Series | null>(null);
  const [minSentiment, setMinSentiment] = useState(0);
  const [backtest, setBacktest] = useState<CallOutput<'backtest.run'> | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let stale = false;
    api
      .call('news.headlines', { query: asked })
      .then((result) => {
        if (stale) return;
        setNews(result);
      })
      .catch((caught: unknown) => !stale && setError(describeError(caught)));
    return () => {
      stale = true;
    };
  }, [asked, version]);

  const loadSeries = useCallback(() => {
    if (!symbol.trim()) return;
    api
      .call('sentiment.series', { symbol: symbol.trim(), timeframe: '1d' })
      .then(setSeries)
      .catch((caught: unknown) => setError(describeError(caught)));
  }, [symbol]);
  useEffect(loadSeries, [loadSeries, version]);

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await action());
      setVersion((v) => v + 1);
    } catch (caught) {
      setError(caught instanceof Error && !('error' in caught) ? caught.message : describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  const average =
    news && news.headlines.length > 0
      ? news.headlines.reduce((s, h) => s + h.score, 0) / news.headlines.length
      : null;

  return (
    <div className="flex flex-col gap-4">
      <Card>
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-sm font-semibold tracking-wide text-slate-300 uppercase">Headlines</h2>
          {news?.demo && <DemoLabel provider="NewsAPI" />}
        </div>
        <form
          className="mb-3 flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            setAsked(query.trim() || 'GOOG');
          }}
        >
          <Field label="Symbol or query">
            <TextInput
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              data-testid="sentiment-query"
            />
          </Field>
          <Button type="submit" data-testid="sentiment-search">
            Search
          </Button>
          <Button
            tone="secondary"
            disabled={busy || !news || news.demo}
            title={news?.demo ? 'Demo data is never stored: save a NewsAPI key first.' : undefined}
            onClick={() =>
              void act(async () => {
                const stored = await api.call('sentiment.fetch', {
                  symbol: symbol.trim() || asked,
                  query: asked,
                });
                return `Stored ${stored.added} new headlines for ${stored.symbol} (${stored.stored} in all).`;
              })
            }
            data-testid="sentiment-store"
          >
            Store for {symbol || asked}
          </Button>
        </form>
        {error && <Notice tone="error">{error}</Notice>}
        {message && (
          <Notice tone="success" testId="sentiment-message">
            {message}
          </Notice>
        )}
        {news && (
          <>
            <div className="my-3 grid grid-cols-2 gap-3 sm:grid-cols-4">
              <Stat label="Average score" value={formatNumber(average, 2)} testId="sentiment-average" />
              <Stat label="Cache hits" value={news.cache.hits} testId="cache-hits" />
              <Stat label="Cache misses" value={news.cache.misses} testId="cache-misses" />
              <Stat
                label="Cached answers"
                value={`${news.cache.size} / ${news.cache.maxEntries}`}
                testId="cache-size"
              />
            </div>
            <HeadlineList headlines={news.headlines} testId="news-headlines" />
          </>
        )}
      </Card>

      <Card title="Sentiment series">
        <div className="mb-3 flex flex-wrap items-end gap-2">
          <Field label="Stored symbol">
            <TextInput
              value={symbol}
              onChange={(e) => setSymbol(e.target.value)}
              data-testid="sentiment-symbol"
            />
          </Field>
          <Field label="Import recorded headlines (JSON)">
            <input
              type="file"
              accept=".json,application/json"
              data-testid="sentiment-file"
              className="text-sm"
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = '';
                if (!file) return;
                void act(async () => {
                  const stored = await api.call('sentiment.import', {
                    symbol: symbol.trim(),
                    headlines: headlinesOfFile(await file.text()),
                  });
                  return `Stored ${stored.added} new headlines for ${stored.symbol} (${stored.stored} in all).`;
                });
              }}
            />
          </Field>
        </div>
        {series && (
          <>
            <p className="text-sm text-slate-400" data-testid="sentiment-stored">
              {series.headlines.length} headlines stored for {series.symbol}
              {series.time.length > 0
                ? `, ${series.time.length} daily bars.`
                : '; no daily candles are stored for it.'}
            </p>
            {series.time.length > 0 && (
              <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
                <LineChart
                  testId="sentiment-price"
                  points={series.close.map((close, i) => ({
                    label: new Date(series.time[i]! * 1000).toISOString().slice(0, 10),
                    value: close,
                  }))}
                />
                <LineChart
                  testId="sentiment-chart"
                  color="#fbbf24"
                  zeroLine
                  points={series.sentiment.map((value, i) => ({
                    label: new Date(series.time[i]! * 1000).toISOString().slice(0, 10),
                    value,
                  }))}
                />
              </div>
            )}
            {series.headlines.length > 0 && series.time.length > 0 && (
              <div className="mt-3 flex flex-wrap items-end gap-2">
                <Field label="rsi: enter only when sentiment ≥">
                  <TextInput
                    type="number"
                    step={0.05}
                    min={-1}
                    max={1}
                    value={minSentiment}
                    onChange={(e) => setMinSentiment(Number(e.target.value))}
                    data-testid="sentiment-min"
                  />
                </Field>
                <Button
                  disabled={busy}
                  data-testid="sentiment-backtest"
                  onClick={() =>
                    void act(async () => {
                      const run = await api.call('backtest.run', {
                        data: { source: 'stored', symbol: series.symbol, timeframe: '1d' },
                        spec: { strategy: 'rsi', params: { minSentiment } },
                        label: `rsi on ${series.symbol} 1d, minSentiment ${minSentiment}`,
                      });
                      setBacktest(run);
                      return `Backtest saved: ${run.result.metrics.trades} trades.`;
                    })
                  }
                >
                  Backtest rsi with this filter
                </Button>
              </div>
            )}
            {backtest && (
              <div
                className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3"
                data-testid="sentiment-backtest-result"
              >
                <Stat
                  label="Return"
                  value={formatPct(backtest.result.metrics.returnPct)}
                  testId="sentiment-backtest-return"
                />
                <Stat
                  label="Trades"
                  value={backtest.result.metrics.trades}
                  testId="sentiment-backtest-trades"
                />
                <Stat label="Min sentiment" value={minSentiment} />
              </div>
            )}
            {series.headlines.length > 0 && (
              <div className="mt-3 max-h-80 overflow-y-auto">
                <HeadlineList headlines={[...series.headlines].reverse()} testId="stored-headlines" />
              </div>
            )}
          </>
        )}
      </Card>
      <ProviderKeys ids={['newsapi']} onChange={() => setVersion((v) => v + 1)} />
    </div>
  );
}

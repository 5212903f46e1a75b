// Paper bots: the list with status, PnL and positions; one bot opened with its chart and trade
// markers, orders, fills and equity curve; create, start, pause, stop, duplicate, ghost. Everything
// updates live from the core's bots.* events (stores/bots-store.ts).
import { useEffect, useMemo, useState } from 'react';
import { seriesOf } from '../../../core/contract/bots-calls.ts';
import type { CandleColumnsJson } from '../../../core/contract/calls.ts';
import type { Timeframe } from '../../../core/contract/calls.ts';
import { timeframeSeconds, timeframeSecondsTable } from '../../../core/contract/timeframe-seconds.ts';
import { api, describeError } from '../api/client.ts';
import { BotReinvestmentCard } from '../components/BotReinvestmentCard.tsx';
import { BotHold } from '../components/BotHold.tsx';
import { Card, Stat } from '../components/Card.tsx';
import { CandleChart, type TradeMarker } from '../components/CandleChart.tsx';
import { EquityChart } from '../components/EquityChart.tsx';
import { Button, Field, Select, TextInput } from '../components/form.tsx';
import { formatNumber, formatTime } from '../components/format.ts';
import { Notice } from '../components/Notice.tsx';
import { SeriesPicker } from '../components/SeriesPicker.tsx';
import { followBotEvents, useBots, type BotSummary } from '../stores/bots-store.ts';
import { seriesKey, useSeries } from '../stores/series-store.ts';
import { useBacktest } from '../stores/backtest-store.ts';

const statusTone: Record<BotSummary['status'], string> = {
  created: 'bg-slate-700 text-slate-100',
  running: 'bg-emerald-700 text-white',
  paused: 'bg-amber-700 text-white',
  stopped: 'bg-slate-600 text-white',
  failed: 'bg-red-700 text-white',
};

export function StatusBadge({ bot, testId }: { bot: BotSummary; testId?: string }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs ${statusTone[bot.status]}`} data-testid={testId}>
      {bot.ruined ? 'ruined' : bot.status}
    </span>
  );
}

/** "long 12 @ 101.50", "short 3 @ 99.10" or "flat". */
export function positionText(bot: BotSummary): string {
  const open = bot.positions.filter((p) => p.quantity !== 0);
  if (open.length === 0) return 'flat';
  return open
    .map(
      (p) => `${p.quantity > 0 ? 'long' : 'short'} ${Math.abs(p.quantity)} @ ${formatNumber(p.averagePrice)}`,
    )
    .join(', ');
}

/** "cTrader Demo spots" or "binance live bars" for a bot on a live feed; null for a replay. */
export function liveFeedText(bot: BotSummary): string | null {
  const { feed } = bot.definition;
  if (feed.kind === 'replay') return null;
  if (feed.kind === 'exchange') return `${feed.exchange} live bars`;
  return `cTrader ${feed.environment === 'demo' ? 'Demo' : 'Live'} spots`;
}

/** Where the bot's orders go: "paper", or the venue of its feed ("cTrader Demo", "binance"). */
export function venueText(bot: Pick<BotSummary, 'definition'>): string {
  const { venue, feed } = bot.definition;
  if (venue === 'paper' || feed.kind === 'replay') return 'paper';
  if (feed.kind === 'exchange') return `${feed.exchange}${feed.sandbox ? ' sandbox' : ''} (live orders)`;
  return `cTrader ${feed.environment === 'demo' ? 'Demo' : 'Live'} (live orders)`;
}

const pnlClass = (value: number) => (value >= 0 ? 'text-emerald-400' : 'text-red-400');

function BotRow({ bot }: { bot: BotSummary }) {
  const { select, act, duplicate, ghost, selected } = useBots();
  const isGhost = bot.ghostOf !== null;
  return (
    <tr
      className={`border-t border-slate-800 ${selected === bot.id ? 'bg-slate-800/50' : ''}`}
      data-testid={`bot-row-${bot.id}`}
    >
      <td className="py-1.5 pr-2">
        <button
          type="button"
          className="text-sky-300 hover:underline"
          onClick={() => void select(bot.id)}
          data-testid={`bot-open-${bot.id}`}
        >
          {bot.name}
        </button>
        {isGhost && <span className="ml-1 text-xs text-slate-400">ghost of #{bot.ghostOf}</span>}
      </td>
      <td className="pr-2">
        <StatusBadge bot={bot} testId={`bot-status-${bot.id}`} />
        <BotHold id={bot.id} symbol={bot.definition.symbol} />
      </td>
      <td className="pr-2 text-xs text-slate-400">
        {bot.definition.strategy} · {bot.definition.symbol} {bot.definition.timeframe}
        {liveFeedText(bot) && ` · ${liveFeedText(bot)}`}
        {bot.definition.venue === 'live' && (
          <span className="text-amber-300" data-testid={`bot-venue-${bot.id}`}>
            {' '}
            · orders to {venueText(bot)}
          </span>
        )}
      </td>
      <td className="pr-2 text-right tabular-nums" data-testid={`bot-bars-${bot.id}`}>
        {bot.bars}
      </td>
      <td className="pr-2 text-right tabular-nums">{formatNumber(bot.equity)}</td>
      <td className={`pr-2 text-right tabular-nums ${pnlClass(bot.pnl)}`} data-testid={`bot-pnl-${bot.id}`}>
        {formatNumber(bot.pnl)}
      </td>
      <td className="pr-2 text-xs" data-testid={`bot-position-${bot.id}`}>
        {positionText(bot)}
      </td>
      <td className="flex flex-wrap gap-1 py-1">
        {bot.status === 'running' ? (
          <>
            {!isGhost && (
              <Button
                tone="secondary"
                onClick={() => void act('pause', bot.id)}
                data-testid={`bot-pause-${bot.id}`}
              >
                Pause
              </Button>
            )}
            <Button tone="danger" onClick={() => void act('stop', bot.id)} data-testid={`bot-stop-${bot.id}`}>
              Stop
            </Button>
          </>
        ) : (
          <Button onClick={() => void act('start', bot.id)} data-testid={`bot-start-${bot.id}`}>
            Start
          </Button>
        )}
        <Button
          tone="secondary"
          onClick={() => void duplicate(bot.id)}
          data-testid={`bot-duplicate-${bot.id}`}
        >
          Duplicate
        </Button>
        {!isGhost && (
          <Button tone="secondary" onClick={() => void ghost(bot.id)} data-testid={`bot-ghost-${bot.id}`}>
            Ghost
          </Button>
        )}
        {bot.status !== 'running' && (
          <Button
            tone="secondary"
            onClick={() => void act('remove', bot.id)}
            data-testid={`bot-remove-${bot.id}`}
          >
            Remove
          </Button>
        )}
      </td>
    </tr>
  );
}

function NewBotForm() {
  const { series, refresh: refreshSeries } = useSeries();
  const { strategies, load: loadStrategies } = useBacktest();
  const create = useBots((state) => state.create);
  const [key, setKey] = useState('');
  const [strategy, setStrategy] = useState('sma-cross');
  const [params, setParams] = useState('');
  const [cash, setCash] = useState('10000');
  const [speed, setSpeed] = useState('20');
  // Where the bars come from: the stored series replayed (then, for a series downloaded from an
  // exchange, optionally its live bars), or a connected cTrader session's spots.
  const [source, setSource] = useState<'replay' | 'exchange' | 'demo' | 'live'>('replay');
  const [feedApiUrl, setFeedApiUrl] = useState('');
  const [liveSymbol, setLiveSymbol] = useState('EURUSD');
  const [liveTimeframe, setLiveTimeframe] = useState<Timeframe>('1m');
  const [problem, setProblem] = useState<string | null>(null);
  // Where the orders go: the paper account, or the venue the bars come from (never for a replay).
  const [venue, setVenue] = useState<'paper' | 'live'>('paper');
  const [realMoneyAgreed, setRealMoneyAgreed] = useState(false);
  const orders = source === 'replay' ? 'paper' : venue;
  // cTrader Live, or an exchange with the user's key: real money (the contract's tradesRealMoney).
  const realMoney = orders === 'live' && (source === 'live' || source === 'exchange');
  // The broker's symbols, once a cTrader source is chosen and connected (else the field is free text).
  const [brokerSymbols, setBrokerSymbols] = useState<string[]>([]);
  const stored = source === 'replay' || source === 'exchange';
  useEffect(() => {
    if (source === 'replay' || source === 'exchange') return;
    let stale = false;
    api
      .call('ctrader.symbols', { environment: source })
      .then((answer) => !stale && setBrokerSymbols(answer.symbols.map((s) => s.symbol)))
      .catch(() => !stale && setBrokerSymbols([]));
    return () => {
      stale = true;
    };
  }, [source]);

  useEffect(() => {
    void refreshSeries();
    void loadStrategies();
  }, [refreshSeries, loadStrategies]);
  const chosen = key || (series[0] ? seriesKey(series[0]) : '');

  const submit = () => {
    const live = source === 'demo' || source === 'live';
    const [symbol, timeframe] = live ? [liveSymbol.trim(), liveTimeframe] : chosen.split('|');
    if (!symbol || !timeframe)
      return setProblem(
        live
          ? 'symbol: enter the broker’s name for it (EURUSD).'
          : 'Import candles first: a bot replays a stored series.',
      );
    const parsed: Record<string, number> = {};
    for (const part of params
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [name, value] = part.split('=').map((p) => p.trim());
      if (!name || value === undefined || !Number.isFinite(Number(value)))
        return setProblem(`params: "${part}" is not name=number`);
      parsed[name] = Number(value);
    }
    // A series downloaded from an exchange is named "<exchange>:<symbol>": its live bars follow.
    const exchange = /^([a-z0-9]{2,32}):(.+\/.+)$/.exec(symbol);
    if (source === 'exchange' && exchange === null)
      return setProblem(
        'A live exchange feed follows a series downloaded from an exchange (named exchange:SYMBOL, e.g. binance:BTC/USDT).',
      );
    if (realMoney && !realMoneyAgreed)
      return setProblem('venue: tick “I understand this bot trades real money” to send its orders live.');
    setProblem(null);
    void create({
      name: `${strategy} on ${symbol} ${timeframe}${live ? ` (cTrader ${source === 'demo' ? 'Demo' : 'Live'})` : source === 'exchange' ? ' (live)' : ''}${orders === 'live' ? ' · live orders' : ''}`.slice(
        0,
        80,
      ),
      strategy,
      params: parsed,
      symbol,
      timeframe: timeframe as never,
      venue: orders,
      cash: Number(cash),
      barsPerSecond: speed === 'max' ? null : Number(speed),
      feed:
        source === 'demo' || source === 'live'
          ? { kind: 'ctrader', environment: source }
          : source === 'exchange' && exchange !== null
            ? {
                kind: 'exchange',
                exchange: exchange[1]!,
                symbol: exchange[2]!,
                timeframe: timeframe as never,
                ...(feedApiUrl.trim() ? { apiUrl: feedApiUrl.trim() } : {}),
              }
            : { kind: 'replay' },
    });
  };

  return (
    <Card title="New bot">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-5">
        <Field label="Bars from" hint={stored ? undefined : 'connect it on the Account page'}>
          <Select
            value={source}
            onChange={(e) => setSource(e.target.value as typeof source)}
            data-testid="bot-feed"
          >
            <option value="replay">Stored candles (replay)</option>
            <option value="exchange">Stored candles, then the exchange’s live ones</option>
            <option value="demo">cTrader Demo spots</option>
            <option value="live">cTrader Live spots</option>
          </Select>
        </Field>
        {stored ? (
          <SeriesPicker series={series} value={chosen} onChange={setKey} testId="bot-series" />
        ) : (
          <>
            <Field label="Symbol" hint="the broker’s name">
              <TextInput
                value={liveSymbol}
                onChange={(e) => setLiveSymbol(e.target.value)}
                list="bot-broker-symbols"
                data-testid="bot-symbol"
              />
              <datalist id="bot-broker-symbols" data-testid="bot-broker-symbols">
                {brokerSymbols.map((name) => (
                  <option key={name} value={name} />
                ))}
              </datalist>
            </Field>
            <Field label="Timeframe">
              <Select
                value={liveTimeframe}
                onChange={(e) => setLiveTimeframe(e.target.value as Timeframe)}
                data-testid="bot-timeframe"
              >
                {(Object.keys(timeframeSecondsTable) as Timeframe[]).map((tf) => (
                  <option key={tf}>{tf}</option>
                ))}
              </Select>
            </Field>
          </>
        )}
        <Field label="Strategy">
          <Select value={strategy} onChange={(e) => setStrategy(e.target.value)} data-testid="bot-strategy">
            {(strategies.length ? strategies.map((s) => s.name) : ['sma-cross', 'rsi']).map((name) => (
              <option key={name}>{name}</option>
            ))}
          </Select>
        </Field>
        <Field label="Params" hint="name=value, … (defaults if empty)">
          <TextInput
            value={params}
            onChange={(e) => setParams(e.target.value)}
            placeholder="fast=10, slow=20"
            data-testid="bot-params"
          />
        </Field>
        <Field label="Cash">
          <TextInput
            value={cash}
            onChange={(e) => setCash(e.target.value)}
            inputMode="decimal"
            data-testid="bot-cash"
          />
        </Field>
        {source === 'exchange' && (
          <Field label="Exchange API URL" hint="optional: a mirror or a local simulator">
            <TextInput
              value={feedApiUrl}
              onChange={(e) => setFeedApiUrl(e.target.value)}
              placeholder="http://127.0.0.1:8080"
              data-testid="bot-feed-api-url"
            />
          </Field>
        )}
        {source !== 'replay' && (
          <Field
            label="Orders go to"
            hint={orders === 'live' ? 'the key or session on the Account page' : 'a simulated account'}
          >
            <Select
              value={orders}
              onChange={(e) => {
                setVenue(e.target.value as 'paper' | 'live');
                setRealMoneyAgreed(false);
              }}
              data-testid="bot-venue"
            >
              <option value="paper">Paper account</option>
              <option value="live">
                {source === 'exchange'
                  ? 'The exchange (live orders)'
                  : `cTrader ${source === 'demo' ? 'Demo' : 'Live'} (live orders)`}
              </option>
            </Select>
          </Field>
        )}
        {stored && orders === 'paper' && (
          <Field label="Replay speed">
            <Select value={speed} onChange={(e) => setSpeed(e.target.value)} data-testid="bot-speed">
              <option value="1">1 bar / s</option>
              <option value="20">20 bars / s</option>
              <option value="200">200 bars / s</option>
              <option value="max">as fast as possible</option>
            </Select>
          </Field>
        )}
      </div>
      {realMoney && (
        <label className="mt-3 flex items-center gap-2 text-sm text-amber-300">
          <input
            type="checkbox"
            checked={realMoneyAgreed}
            onChange={(e) => setRealMoneyAgreed(e.target.checked)}
            data-testid="bot-real-money"
          />
          I understand this bot trades real money: its orders go to{' '}
          {source === 'exchange' ? 'the exchange with my API key' : 'my cTrader Live account'}.
        </label>
      )}
      {problem && <Notice tone="error">{problem}</Notice>}
      <div className="mt-3">
        <Button onClick={submit} data-testid="bot-create">
          Create bot
        </Button>
      </div>
    </Card>
  );
}

/** Drawdown from the equity curve, for the chart's second pane. */
function withDrawdown(curve: { time: number[]; equity: number[] }) {
  let peak = -Infinity;
  const drawdownPct = curve.equity.map((value) => {
    peak = Math.max(peak, value);
    return peak > 0 ? (value / peak - 1) * 100 : 0;
  });
  return { time: curve.time, equity: curve.equity, drawdownPct };
}

function BotDetailView({ bot }: { bot: BotSummary }) {
  const { detail, bots } = useBots();
  const [candles, setCandles] = useState<CandleColumnsJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { symbol, timeframe } = bot.definition;
  // A cTrader bot's bars are stored under "ctrader-demo:EURUSD", not its broker symbol.
  const series = seriesOf(bot.definition);
  // The chart follows the detail's reloads (a trade, a status change), not every position event:
  // a request per event would queue behind each other and starve the page's other calls.
  const last = detail?.id === bot.id ? (detail.equity.time.at(-1) ?? null) : null;

  useEffect(() => {
    if (last === null) return;
    let stale = false;
    api
      .call('candles.get', {
        symbol: series,
        timeframe,
        from: Math.max(0, last - 300 * timeframeSeconds(timeframe)),
        to: last,
      })
      .then((answer) => !stale && setCandles(answer.candles))
      .catch((caught: unknown) => !stale && setError(describeError(caught)));
    return () => {
      stale = true;
    };
  }, [series, timeframe, last]);

  const markers = useMemo<TradeMarker[]>(() => {
    if (!detail || !candles) return [];
    const first = candles.time[0] ?? 0;
    return detail.fills
      .filter((fill) => fill.time / 1000 >= first)
      .map((fill) => ({ time: fill.time / 1000, kind: fill.side, text: `${fill.side} ${fill.quantity}` }))
      .reverse();
  }, [detail, candles]);

  // Memoised: a new curve object would make the chart rebuild on every position event.
  const equityCurve = useMemo(() => (detail ? withDrawdown(detail.equity) : null), [detail]);
  const ghosts = bots.filter((other) => other.ghostOf === bot.id);
  const fills = detail?.id === bot.id ? detail.fills : [];
  const orders = detail?.id === bot.id ? detail.orders : [];
  return (
    <div className="flex flex-col gap-4" data-testid="bot-detail">
      <Card title={`${bot.name} · #${bot.id}`}>
        {bot.message && (
          <Notice tone={bot.status === 'failed' ? 'error' : 'info'} testId="bot-message">
            {bot.message}
          </Notice>
        )}
        <div className="mt-2 grid grid-cols-2 gap-3 md:grid-cols-5">
          <Stat label="Status" value={<StatusBadge bot={bot} testId="bot-detail-status" />} />
          <Stat label="Equity" value={formatNumber(bot.equity)} testId="bot-detail-equity" />
          <Stat label="PnL" value={formatNumber(bot.pnl)} testId="bot-detail-pnl" />
          <Stat label="Position" value={positionText(bot)} testId="bot-detail-position" />
          <Stat
            label={liveFeedText(bot) ? 'Bars closed' : 'Bars replayed'}
            value={`${bot.bars}${last ? ` · ${formatTime(last)}` : ''}`}
            testId="bot-detail-bars"
          />
        </div>
        <p className="mt-2 text-xs text-slate-400">
          {bot.definition.strategy} (
          {Object.entries(bot.definition.params)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ') || 'defaults'}
          ) on {symbol} {timeframe} · <span data-testid="bot-detail-venue">{venueText(bot)}</span> · cash{' '}
          {formatNumber(bot.definition.cash)} ·{' '}
          {liveFeedText(bot) ??
            (bot.definition.barsPerSecond === null ? 'full speed' : `${bot.definition.barsPerSecond} bars/s`)}
          {bot.createdFrom && ` · from ${bot.createdFrom.kind} #${bot.createdFrom.id}`}
        </p>
      </Card>
      <BotReinvestmentCard
        key={`${bot.id}:${JSON.stringify(bot.definition.reinvestment ?? null)}`}
        bot={bot}
      />
      {ghosts.length > 0 && (
        <Card title="Beside its ghosts">
          <table className="w-full text-left text-sm" data-testid="bot-ghosts">
            <thead className="text-xs text-slate-400">
              <tr>
                <th>Bot</th>
                <th>Status</th>
                <th className="text-right">Equity</th>
                <th className="text-right">PnL</th>
                <th>Position</th>
              </tr>
            </thead>
            <tbody>
              {[bot, ...ghosts].map((b) => (
                <tr key={b.id} className="border-t border-slate-800">
                  <td>{b.name}</td>
                  <td>
                    <StatusBadge bot={b} />
                  </td>
                  <td className="text-right tabular-nums">{formatNumber(b.equity)}</td>
                  <td className={`text-right tabular-nums ${pnlClass(b.pnl)}`}>{formatNumber(b.pnl)}</td>
                  <td className="text-xs">{positionText(b)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      <Card title="Chart and trades">
        {error && <Notice tone="error">{error}</Notice>}
        <p className="mb-2 text-xs text-slate-400" data-testid="bot-chart-series">
          {series} {timeframe}
          {candles && last !== null ? ` · ${candles.time.length} bars` : ''}
        </p>
        <CandleChart
          candles={last === null ? null : candles}
          markers={markers}
          testId="bot-chart"
          height={320}
        />
      </Card>
      {detail?.id === bot.id && detail.equity.time.length > 1 && (
        <Card title="Equity">
          <EquityChart curve={equityCurve!} height={240} />
        </Card>
      )}
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Card title={`Orders (${orders.length})`}>
          <div className="max-h-80 overflow-auto">
            <table className="w-full text-left text-xs" data-testid="bot-orders">
              <thead className="text-slate-400">
                <tr>
                  <th>Id</th>
                  <th>Side</th>
                  <th className="text-right">Qty</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((order) => (
                  <tr key={order.clientOrderId} className="border-t border-slate-800">
                    <td className="font-mono">{order.clientOrderId}</td>
                    <td>{order.side}</td>
                    <td className="text-right tabular-nums">{order.quantity}</td>
                    <td title={order.reason ?? undefined}>{order.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
        <Card title={`Fills (${fills.length})`}>
          <div className="max-h-80 overflow-auto">
            <table className="w-full text-left text-xs" data-testid="bot-fills">
              <thead className="text-slate-400">
                <tr>
                  <th>Time</th>
                  <th>Side</th>
                  <th className="text-right">Qty</th>
                  <th className="text-right">Price</th>
                  <th className="text-right">Fee</th>
                </tr>
              </thead>
              <tbody>
                {fills.map((fill) => (
                  <tr key={fill.tradeId + fill.clientOrderId} className="border-t border-slate-800">
                    <td>{formatTime(fill.time / 1000)}</td>
                    <td>{fill.side}</td>
                    <td className="text-right tabular-nums">{fill.quantity}</td>
                    <td className="text-right tabular-nums">{formatNumber(fill.price, 4)}</td>
                    <td className="text-right tabular-nums">{formatNumber(fill.fee)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      </div>
    </div>
  );
}

export function BotsPage() {
  const { bots, maxInstances, loaded, selected, error, refresh } = useBots();
  useEffect(() => {
    void refresh();
    return followBotEvents();
  }, [refresh]);
  const running = bots.filter((bot) => bot.status === 'running' && bot.ghostOf === null).length;
  const opened = bots.find((bot) => bot.id === selected) ?? null;
  return (
    <div className="flex flex-col gap-4">
      {error && (
        <Notice tone="error" testId="bots-error">
          {error}
        </Notice>
      )}
      <Card title={`Bots · ${running} of ${maxInstances} running`}>
        {loaded && bots.length === 0 ? (
          <p className="text-sm text-slate-400">
            No bots yet. Create one below, or use “Run as paper bot” on a backtest result.
          </p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="bots-table">
              <thead className="text-xs text-slate-400">
                <tr>
                  <th>Bot</th>
                  <th>Status</th>
                  <th>Strategy</th>
                  <th className="text-right">Bars</th>
                  <th className="text-right">Equity</th>
                  <th className="text-right">PnL</th>
                  <th>Position</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {bots.map((bot) => (
                  <BotRow key={bot.id} bot={bot} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {opened && <BotDetailView bot={opened} />}
      <NewBotForm />
    </div>
  );
}

// `autobot data download`: candles from an exchange (through ccxt) into the data folder's store,
// by the same candles.download call the Chart page makes. Run it again after an interruption and
// it continues after the last stored bar (core/data/download-candles.ts). Progress goes to stderr,
// the summary to stdout.
import path from 'node:path';
import type { Command } from 'commander';
import type { App } from '../app/app.ts';
import { timeframes, type CallOutput } from '../contract/calls.ts';
import { AutobotError } from '../contract/errors.ts';
import { exchanges } from '../venues/ccxt/exchange-registry.ts';
import { describeError, note, print } from './command-support.ts';

interface DownloadFlags {
  exchange: string;
  symbol: string;
  timeframe: string;
  since: string;
  until?: string;
  apiUrl?: string;
  series?: string;
  dataDir: string;
}

/** "2024-01-01", "2024-01-01T12:00:00Z" or epoch seconds → epoch seconds (UTC); NaN when unreadable. */
export function parseDate(text: string): number {
  if (/^\d+$/.test(text.trim())) return Number(text);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? `${text.trim()}T00:00:00Z` : text);
  return Number.isNaN(ms) ? Number.NaN : Math.floor(ms / 1000);
}

export function registerDownloadCommand(
  data: Command,
  openApp: (dataDir: string) => App | Promise<App>,
  dataDirOption: readonly [string, string, string],
): void {
  data
    .command('download')
    .description(
      'Download candles from an exchange into a series named <exchange>:<symbol>; run it again to resume.',
    )
    .requiredOption('--exchange <id>', 'a ccxt exchange id, e.g. binance')
    .requiredOption('--symbol <symbol>', 'as the exchange lists it, e.g. BTC/USDT')
    .requiredOption('--timeframe <timeframe>', timeframes.join(', '))
    .requiredOption('--since <date>', 'first bar, e.g. 2024-01-01 (UTC)')
    .option('--until <date>', 'last bar (default: the last closed one)')
    .option('--api-url <url>', 'another REST base for the exchange: a mirror or a local simulator')
    .option('--series <name>', 'stored series name (default <exchange>:<symbol>)')
    .option(...dataDirOption)
    .action(async (opts: DownloadFlags, command: Command) => {
      let output: string | undefined;
      let failure: string | undefined;
      const app = await openApp(path.resolve(opts.dataDir));
      let lastShown = -1;
      const stop = app.events.subscribe((name, payload) => {
        if (name !== 'candles.download.progress') return;
        const { fraction, last } = payload as { fraction: number; last: number };
        const percent = Math.floor(fraction * 100);
        if (percent === lastShown) return;
        lastShown = percent;
        note(command, `${percent}% (up to ${new Date(last * 1000).toISOString().slice(0, 16)}Z)`);
      });
      try {
        const since = parseDate(opts.since);
        const until = opts.until === undefined ? undefined : parseDate(opts.until);
        if (Number.isNaN(since)) throw new Error(`since: "${opts.since}" is not a date (e.g. 2024-01-01)`);
        if (Number.isNaN(until)) throw new Error(`until: "${opts.until}" is not a date (e.g. 2024-06-30)`);
        const result = await app.dispatch('candles.download', {
          exchange: opts.exchange,
          symbol: opts.symbol,
          timeframe: opts.timeframe,
          since,
          ...(until !== undefined ? { until } : {}),
          ...(opts.apiUrl !== undefined ? { apiUrl: opts.apiUrl } : {}),
          ...(opts.series !== undefined ? { series: opts.series } : {}),
        });
        if (!result.ok) throw new AutobotError(result.error.code, result.error.message);
        const r = result.value as CallOutput<'candles.download'>;
        const day = (t: number | null) =>
          t === null ? '-' : new Date(t * 1000).toISOString().slice(0, 16) + 'Z';
        output =
          `Downloaded ${r.bars.toLocaleString('en-US')} candles into ${r.series} ${r.timeframe} ` +
          `(${r.inserted.toLocaleString('en-US')} new, ${r.pages} pages); stored ${day(r.first)} … ${day(r.last)}.`;
      } catch (error) {
        failure = describeError(error);
      } finally {
        stop();
        app.close();
        await exchanges.closeAll();
      }
      if (failure !== undefined) command.error(failure, { exitCode: 1, code: 'autobot.data' });
      print(command, output!);
    });
}

// A symbol proposed from a file's name, for the user to accept or change: "GOOG.csv" → GOOG,
// "binance_BTC-USDT_1h.csv" → BTC-USDT, "EURUSD_H1_2020-2024.csv" → EURUSD. Exchange prefixes,
// timeframes and dates are common in exported file names and are never the instrument.
import { symbolSchema } from '../domain/symbol.ts';

const timeframeWords =
  /^(\d+(s|m|min|mins|h|hr|d|w|mo|mn|y)|[mhdw]\d+|daily|hourly|weekly|monthly|minute|minutes|day|hour|week|month|tick|ticks|ohlc|ohlcv|candles?|bars?|data|history|export)$/i;
const dateLike = /^\d{4}([-.]?\d{2}([-.]?\d{2})?)?(-\d{4}([-.]?\d{2}([-.]?\d{2})?)?)?$/;
const pairLike = /^[A-Za-z0-9.]+[-/][A-Za-z0-9.]+$/;

export function symbolFromFileName(fileName: string): string | null {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.(csv|tsv|txt)(\.gz)?$/i, '');
  const tokens = stem
    .split(/[_\s,;()[\]]+/)
    .map((token) => token.replace(/[^A-Za-z0-9._/:-]/g, ''))
    // "ETHUSDT-1m-2024-05" (Binance's dumps): a dash also separates words when one of them is a
    // timeframe or a number, while "BTC-USDT" stays one pair.
    .flatMap((token) => {
      const parts = token.split('-');
      return parts.length > 1 && parts.some((part) => timeframeWords.test(part) || /^\d+$/.test(part))
        ? parts
        : [token];
    })
    .filter(
      (token) => token !== '' && !timeframeWords.test(token) && !dateLike.test(token) && !/^\d+$/.test(token),
    );
  if (tokens.length === 0) return null;
  // "binance_BTC-USDT": the token that looks like a pair is the instrument, not the exchange.
  const chosen =
    tokens.find((token) => pairLike.test(token)) ?? (tokens.length > 1 ? longestUpper(tokens) : tokens[0]!);
  const symbol = chosen.toUpperCase().slice(0, 40);
  return symbolSchema.safeParse(symbol).success ? symbol : null;
}

/** Among several words, the one written in capitals (tickers usually are), else the first. */
function longestUpper(tokens: string[]): string {
  const upper = tokens.filter((token) => token === token.toUpperCase() && /[A-Z]/.test(token));
  return upper.sort((a, b) => b.length - a.length)[0] ?? tokens[0]!;
}

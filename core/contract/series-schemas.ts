// The schemas of a candle series' name and timeframe for core/contract/<area>-calls.ts files, which
// cannot import calls.ts (it spreads them: the import would be a cycle). They live in core/domain.
export { symbolSchema } from '../domain/symbol.ts';
export { timeframes, timeframeSchema, type Timeframe } from '../domain/timeframe.ts';

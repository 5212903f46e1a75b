// The renderer may import only the contract; the table itself is a domain term.
export { timeframeSeconds, timeframeSecondsTable } from '../domain/timeframe-seconds.ts';

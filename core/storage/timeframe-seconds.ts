// Storage sizes its chunks by the domain's nominal bar lengths; one table for core and renderer.
export { timeframeSeconds, timeframeSecondsTable } from '../domain/timeframe-seconds.ts';

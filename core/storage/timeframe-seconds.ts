// Storage sizes its chunks by the contract's nominal bar lengths; one table for core and renderer.
export { timeframeSeconds, timeframeSecondsTable } from '../contract/timeframe-seconds.ts';

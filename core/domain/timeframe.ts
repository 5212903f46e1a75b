// The bar lengths AUTOBOT stores and trades, in the domain module so storage, data, the engines and
// the contract (which re-exports them) share one list without importing each other.
import { z } from 'zod';

export const timeframes = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1M'] as const;
export const timeframeSchema = z.enum(timeframes);
export type Timeframe = z.infer<typeof timeframeSchema>;

// The schemas of a candle series' name and timeframe, in their own file so every
// core/contract/<area>-calls.ts can use them without importing calls.ts (which spreads those
// files: the import would be a cycle). calls.ts re-exports them.
import { z } from 'zod';

export const symbolSchema = z
  .string()
  .trim()
  .min(1, 'symbol is required')
  .max(40, 'symbol is at most 40 characters')
  .regex(/^[A-Za-z0-9._/:-]+$/, 'symbol may hold letters, digits and . _ / : - only');

export const timeframes = ['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1M'] as const;
export const timeframeSchema = z.enum(timeframes);
export type Timeframe = z.infer<typeof timeframeSchema>;

// What a user draws on a chart, kept per symbol: horizontal lines at a price and trend lines
// between two (time, price) points. Times are epoch seconds, so a line stays put whichever
// timeframe the chart shows.
import { z } from 'zod';

const price = z.number().finite('price must be a finite number');
const time = z
  .number()
  .int('time must be whole epoch seconds')
  .min(0)
  .max(4_102_444_800, 'time is after 2100');
const point = z.object({ time, price }).strict();
const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'color must be #rrggbb')
  .optional();

export const drawingSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('horizontal'), id: z.string().min(1).max(40), price, color }).strict(),
    z
      .object({ kind: z.literal('trend'), id: z.string().min(1).max(40), from: point, to: point, color })
      .strict(),
  ],
  { error: 'kind must be "horizontal" or "trend"' },
);
export type Drawing = z.infer<typeof drawingSchema>;

export const drawingsSchema = z.array(drawingSchema).max(500, 'at most 500 drawings per symbol');

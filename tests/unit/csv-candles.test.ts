import { describe, expect, it } from 'vitest';
import { parseCandlesCsv } from '../../core/data/csv-candles.ts';

describe('parseCandlesCsv', () => {
  it('reads quoted headers and cells, with the delimiter and doubled quotes inside a quoted cell', () => {
    const csv =
      '"Date","Open","High","Low","Close","Volume","Note"\n"2024-01-01 00:00:00","1","2","0.5","1.5","1000","a, ""quoted"" note"';
    const { candles, length } = parseCandlesCsv(csv);
    expect(length).toBe(1);
    expect([
      candles.time[0],
      candles.open[0],
      candles.high[0],
      candles.low[0],
      candles.close[0],
      candles.volume[0],
    ]).toEqual([1704067200, 1, 2, 0.5, 1.5, 1000]);
  });

  it('reads semicolon and tab separated files', () => {
    expect(parseCandlesCsv('time;open;high;low;close\n1704067200;1;2;0.5;1.5').length).toBe(1);
    expect(parseCandlesCsv('time\topen\thigh\tlow\tclose\n1704067200\t1\t2\t0.5\t1.5').length).toBe(1);
  });

  it('finds columns by name whatever their order', () => {
    const { candles } = parseCandlesCsv('Close,Low,High,Open,Date\n1.5,0.5,2,1,2024-01-01');
    expect([candles.open[0], candles.high[0], candles.low[0], candles.close[0]]).toEqual([1, 2, 0.5, 1.5]);
  });
});

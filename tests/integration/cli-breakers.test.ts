// `autobot backtest --breaker NAME=VALUE` end to end, as a terminal user runs it: the breakers
// apply, --json lists every trip as { breaker, time, values }, the table says what tripped, and a
// bad flag fails with the field named.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const temp = makeTempDir('autobot-cli-breakers-');
afterAll(() => temp.cleanup());

/** A seeded hourly series falling through a noisy range: rsi's entries lose often on it. */
function fallingCsv(bars: number): string {
  let state = 11;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const lines = ['time,open,high,low,close,volume'];
  let price = 100;
  for (let i = 0; i < bars; i++) {
    const open = price;
    price = Math.max(1, price * (1 + (random() - 0.52) * 0.02));
    lines.push(
      `${1_600_000_000 + i * 3600},${open},${Math.max(open, price) * 1.001},${Math.min(open, price) * 0.999},${price},1`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const csvFile = path.join(temp.dir, 'FALL.csv');
writeFileSync(csvFile, fallingCsv(1_500));

async function autobot(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [path.join(repoRoot, 'bin', 'autobot.js'), ...args],
      { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const base = [
  'backtest',
  '--csv',
  csvFile,
  '--strategy',
  'rsi',
  '--no-save',
  '--data-dir',
  path.join(temp.dir, 'data'),
];

interface Printed {
  trades: number;
  breakerTrips: { breaker: string; time: number; values: Record<string, number> }[];
}

describe('autobot backtest --breaker', () => {
  it('applies the breakers and lists every trip in --json; without them the list is empty', async () => {
    const off = await autobot([...base, '--json']);
    expect(off.code, off.stderr).toBe(0);
    const plain = JSON.parse(off.stdout) as Printed;
    expect(plain.breakerTrips).toEqual([]);

    const on = await autobot([
      ...base,
      '--json',
      '--breaker',
      'loss-streak=2:12h',
      '--breaker',
      'volatility=3%:5',
    ]);
    expect(on.code, on.stderr).toBe(0);
    const held = JSON.parse(on.stdout) as Printed;
    expect(held.breakerTrips.length).toBeGreaterThan(0);
    for (const trip of held.breakerTrips) {
      expect(['loss-streak', 'volatility']).toContain(trip.breaker);
      expect(Object.keys(trip).sort()).toEqual(['breaker', 'time', 'values']);
    }
    const streak = held.breakerTrips.find((trip) => trip.breaker === 'loss-streak');
    expect(streak).toEqual({
      breaker: 'loss-streak',
      time: expect.any(Number),
      values: { losses: 2, limit: 2, cooldownMinutes: 720 },
    });
  });

  it('says what tripped in the table', async () => {
    const run = await autobot([...base, '--breaker', 'loss-streak=2:12h']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Breaker trips \(\d+\):/);
    expect(run.stdout).toContain('loss-streak: 2 losing trades in a row');
  });

  it('refuses a bad flag naming the field', async () => {
    const run = await autobot([...base, '--breaker', 'loss-streak=3:60x']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'breakers.lossStreak.cooldownMinutes: must be minutes (60m) or hours (2h), got "60x"',
    );
  });
  it('refuses the same bad flag the same way in `autobot paper`', async () => {
    const run = await autobot([
      'paper',
      '--csv',
      csvFile,
      '--strategy',
      'rsi',
      '--breaker',
      'loss-streak=3:60x',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'breakers.lossStreak.cooldownMinutes: must be minutes (60m) or hours (2h), got "60x"',
    );
  });
});

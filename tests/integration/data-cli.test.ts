// `autobot data import|list|remove` through a commander program built here (exitOverride + captured
// output), on a real app over a temp data folder, through the dispatcher like every host.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerDataCommands } from '../../core/cli/data-commands.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('autobot-data-cli-');
});
afterEach(() => temp.cleanup());

async function autobot(...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const program = new Command('autobot')
    .exitOverride()
    .configureOutput({ writeOut: (text) => stdout.push(text), writeErr: (text) => stderr.push(text) });
  registerDataCommands(program, {
    openApp: async (dataDir) => (await createLicensedTestApp({ dataDir, host: 'cli' })).app,
  });
  program.commands.forEach((command) => command.commands.forEach((sub) => sub.exitOverride()));
  let exitCode = 0;
  try {
    await program.parseAsync(['node', 'autobot', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  }
  return { exitCode, stdout: stdout.join(''), stderr: stderr.join('') };
}

function writeCsv(
  name: string,
  bars: number,
  price: number,
  step: number,
  start = Date.UTC(2020, 0, 1) / 1000,
) {
  const file = path.join(temp.dir, name);
  const lines = ['time,open,high,low,close,volume'];
  for (let i = 0; i < bars; i++)
    lines.push(`${start + i * step},${price},${price + 1},${price - 1},${price},10`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('autobot data', () => {
  it('imports with the symbol from the file name and the detected timeframe, lists and removes', async () => {
    const dataDir = path.join(temp.dir, 'data');
    const file = writeCsv('binance_ETH-USDT_1h.csv', 500, 2000, 3600);
    const imported = await autobot('data', 'import', '--csv', file, '--data-dir', dataDir);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe('Imported 500 candles into ETH-USDT 1h (500 new, 0 replaced).\n');

    const listed = await autobot('data', 'list', '--data-dir', dataDir);
    expect(listed.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^symbol\s+timeframe\s+bars\s+first\s+last\s+derived$/),
      expect.stringMatching(/^ETH-USDT\s+1h\s+500\s+2020-01-01\s+2020-01-21\s+4h,1d,1w,1M$/),
    ]);

    const removed = await autobot(
      'data',
      'remove',
      '--symbol',
      'ETH-USDT',
      '--timeframe',
      '1h',
      '--data-dir',
      dataDir,
    );
    expect(removed.stdout).toBe('Removed ETH-USDT 1h (500 candles).\n');
    expect((await autobot('data', 'list', '--data-dir', dataDir)).stdout).toContain('No candles stored');
    const again = await autobot(
      'data',
      'remove',
      '--symbol',
      'ETH-USDT',
      '--timeframe',
      '1h',
      '--data-dir',
      dataDir,
    );
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('There is no series ETH-USDT 1h.');
  });

  it('refuses to write into a series of another spacing unless --yes', async () => {
    const dataDir = path.join(temp.dir, 'data');
    const daily = writeCsv('GOOG.csv', 300, 100, 86_400);
    expect((await autobot('data', 'import', '--csv', daily, '--data-dir', dataDir)).exitCode).toBe(0);
    const monthly = writeCsv('BTCUSD.csv', 40, 5000, 30 * 86_400, Date.UTC(2012, 0, 1) / 1000);
    const args = [
      'data',
      'import',
      '--csv',
      monthly,
      '--symbol',
      'GOOG',
      '--timeframe',
      '1d',
      '--data-dir',
      dataDir,
    ];
    const refused = await autobot(...args);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('does not look like the stored series GOOG 1d');
    expect(refused.stderr).toContain('--yes');
    expect((await autobot('data', 'list', '--data-dir', dataDir)).stdout).toMatch(/GOOG\s+1d\s+300\s/);

    const forced = await autobot(...args, '--yes');
    expect(forced.stdout).toBe('Imported 40 candles into GOOG 1d (40 new, 0 replaced).\n');
  });

  it('names the bad line of a refused file and stores nothing', async () => {
    const dataDir = path.join(temp.dir, 'data');
    const file = path.join(temp.dir, 'bad.csv');
    writeFileSync(file, 'time,open,high,low,close\n2020-01-01,1,2,0.5,1\n1969-12-31,1,2,0.5,1\n');
    const refused = await autobot(
      'data',
      'import',
      '--csv',
      file,
      '--symbol',
      'BAD',
      '--timeframe',
      '1d',
      '--data-dir',
      dataDir,
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('Line 3, field "time": "1969-12-31" is outside 1970-01-01 … 2100-01-01');
    expect((await autobot('data', 'list', '--data-dir', dataDir)).stdout).toContain('No candles stored');
  });

  it('says in --help that symbol and timeframe default to what the file suggests', async () => {
    const help = await autobot('data', 'import', '--help');
    expect(help.stdout).toContain('proposed from the file name');
    expect(help.stdout).toContain('detected from the spacing');
    expect(help.stdout).toContain('--data-dir');
  });
});

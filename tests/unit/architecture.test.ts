// Architecture rule 1, checked two ways: the lint rule must fire on a forbidden import, and no file
// under core/ may actually contain one.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('core/ stays plain Node', () => {
  const eslint = new ESLint({ cwd: root });

  it.each([
    ["import { app } from 'electron';", /must not import electron/],
    ["import React from 'react';", /must not import React/],
    ["import { createRoot } from 'react-dom/client';", /must not import React/],
    ['export const width = window.innerWidth;', /no DOM global "window"/],
    ['export const title = document.title;', /no DOM global "document"/],
  ])('the lint rule refuses `%s` in core/', async (source, message) => {
    const [result] = await eslint.lintText(`${source}\n`, { filePath: path.join(root, 'core', 'probe.ts') });
    const messages = result!.messages.map((m) => m.message).join('\n');
    expect(messages).toMatch(message);
  });

  it('no file under core/ imports electron, react or the renderer', () => {
    const offenders = filesUnder(path.join(root, 'core')).filter((file) =>
      /from\s+['"](electron|react|react-dom)(\/[^'"]*)?['"]|from\s+['"][^'"]*\/(renderer|electron)\//.test(
        readFileSync(file, 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });
});

describe('renderer/ imports only the contract from core/', () => {
  const eslint = new ESLint({ cwd: root });
  const lint = async (source: string) => {
    const [result] = await eslint.lintText(`${source}\n`, {
      filePath: path.join(root, 'renderer', 'src', 'components', 'probe.ts'),
    });
    return result!.messages.map((m) => m.message).join('\n');
  };

  it.each([
    "import { objectiveNames } from '../../../core/optimize/objective.ts';",
    "import { runBacktest } from '../../../core/backtest/run-backtest.ts';",
  ])('the lint rule refuses `%s`', async (source) => {
    expect(await lint(source)).toMatch(/may import only core\/contract/);
  });

  it('the lint rule lets the contract through', async () => {
    expect(await lint("export { backtestDefaults } from '../../../core/contract/defaults.ts';")).not.toMatch(
      /may import only core\/contract/,
    );
  });

  it('no file under renderer/ imports another part of core/', () => {
    const offenders = filesUnder(path.join(root, 'renderer', 'src')).filter((file) =>
      /from\s+['"][^'"]*\/core\/(?!contract\/)[^'"]*['"]/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

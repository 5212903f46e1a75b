// Architecture rule 1, checked two ways: the lint rule must fire on a forbidden import, and no file
// under core/ may actually contain one. Then the layering, on the real import graph the TypeScript
// compiler parses (tests/support/import-graph.ts): core/domain at the bottom, no folder cycle
// through the contract and the engines, none between the engine and its kernels, none between
// migrations, and no import cycle between any two files that would run at load time.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import {
  adjacency,
  cycleThrough,
  edgesBetween,
  folderOf,
  importGraph,
  importsOf,
  pathBetween,
  type ImportEdge,
} from '../support/import-graph.ts';

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

describe('the import graph of core/', () => {
  const graph = importGraph(path.join(root, 'core'));
  const folders = adjacency(graph.edges, { map: folderOf });

  /** "a → b → a" with the file imports behind each step, so a failure says what to move. */
  const explain = (cycle: readonly string[]) =>
    [
      cycle.join(' → '),
      ...cycle
        .slice(1)
        .flatMap((to, i) => edgesBetween(graph.edges, cycle[i]!, to).map((edge) => `  ${edge}`)),
    ].join('\n');

  /** The folder cycle holding both folders, or null: a path there and a path back. */
  const folderCycle = (a: string, b: string) => {
    const there = pathBetween(a, b, folders);
    const back = pathBetween(b, a, folders);
    return there && back ? explain([...there, ...back.slice(1)]) : null;
  };

  it('parses every kind of import, and tells type-only ones apart', () => {
    const source = [
      "import {\n  a,\n  type B,\n} from './multi-line.ts';",
      "import type { C } from './type-only.ts';",
      "import { type D, type E } from './all-type-names.ts';",
      "export { f } from './re-export.ts';",
      "export type { G } from './type-re-export.ts';",
      "import './side-effect.ts';",
      "const lazy = await import('./dynamic.ts');",
      "// import { gone } from './commented-out.ts';",
      'const text = "import { fake } from \'./in-a-string.ts\'";',
    ].join('\n');
    expect(importsOf('probe.ts', source)).toEqual([
      { specifier: './multi-line.ts', typeOnly: false },
      { specifier: './type-only.ts', typeOnly: true },
      { specifier: './all-type-names.ts', typeOnly: true },
      { specifier: './re-export.ts', typeOnly: false },
      { specifier: './type-re-export.ts', typeOnly: true },
      { specifier: './side-effect.ts', typeOnly: false },
      { specifier: './dynamic.ts', typeOnly: false },
    ]);
  });

  it('finds a cycle when there is one, and names it', () => {
    const edges: ImportEdge[] = [
      { from: 'a/x.ts', to: 'b/y.ts', typeOnly: false },
      { from: 'b/y.ts', to: 'c/z.ts', typeOnly: true },
      { from: 'c/z.ts', to: 'a/w.ts', typeOnly: false },
    ];
    expect(cycleThrough('a', adjacency(edges, { map: folderOf }))).toEqual(['a', 'b', 'c', 'a']);
    expect(cycleThrough('a/x.ts', adjacency(edges))).toBeNull();
    expect(pathBetween('c', 'b', adjacency(edges, { map: folderOf }))).toEqual(['c', 'a', 'b']);
  });

  it('reads the whole tree', () => {
    expect(graph.files).toContain('backtest/engine.ts');
    expect(graph.files).toContain('contract/calls.ts');
    expect(graph.edges).toContainEqual({
      from: 'contract/calls.ts',
      to: 'backtest/spec.ts',
      typeOnly: false,
    });
  });

  it('core/domain imports nothing else from core/', () => {
    const offenders = graph.edges
      .filter((edge) => folderOf(edge.from) === 'domain' && folderOf(edge.to) !== 'domain')
      .map((edge) => `${edge.from} → ${edge.to}`);
    expect(offenders).toEqual([]);
  });

  it.each(['backtest', 'optimize'])('no folder cycle holds both contract and %s', (folder) => {
    expect(folderCycle('contract', folder)).toBeNull();
  });

  it('neither backtest/engine.ts nor a kernel is on an import cycle', () => {
    // The kernels are fast paths proven equal to the engine: they may import it, never the reverse.
    const next = adjacency(graph.edges);
    const cycles = graph.files
      .filter((file) => file === 'backtest/engine.ts' || file.startsWith('backtest/kernels/'))
      .map((file) => cycleThrough(file, next))
      .filter((cycle) => cycle !== null)
      .map((cycle) => cycle.join(' → '));
    expect(cycles).toEqual([]);
    expect(
      graph.edges.filter(
        (edge) => edge.from === 'backtest/engine.ts' && edge.to.startsWith('backtest/kernels/'),
      ),
    ).toEqual([]);
  });

  it('no migration imports another (only the Migration type), and none is on a cycle', () => {
    const migrationFile = (file: string) => /^storage\/[\w-]*migrations?\.ts$/.test(file);
    const offenders = graph.edges
      .filter(
        (edge) =>
          /-migration\.ts$/.test(edge.from) && migrationFile(edge.to) && edge.to !== 'storage/migration.ts',
      )
      .map((edge) => `${edge.from} → ${edge.to}`);
    expect(offenders).toEqual([]);
    const next = adjacency(graph.edges);
    const cycles = graph.files
      .filter(migrationFile)
      .map((file) => cycleThrough(file, next))
      .filter((cycle) => cycle !== null)
      .map((cycle) => cycle.join(' → '));
    expect(cycles).toEqual([]);
  });

  it('no two files import each other, directly or around a loop, at load time', () => {
    // Type-only imports are erased before the code runs, so they cannot leave a module half
    // initialised; every other cycle can (a class used before its module finished evaluating).
    const next = adjacency(graph.edges, { keep: (edge) => !edge.typeOnly });
    const cycles = new Set<string>();
    for (const file of graph.files) {
      const cycle = cycleThrough(file, next);
      if (cycle) cycles.add([...cycle.slice(0, -1)].sort().join(', ') + `: ${cycle.join(' → ')}`);
    }
    expect([...cycles]).toEqual([]);
  });
});

// Bundles the Electron shell with esbuild (`npm run build:electron`):
//   electron/main.ts    → dist-electron/main.cjs    (Node, CommonJS; native modules stay external)
//   core/jobs/thread-worker.ts → dist-electron/thread-worker.cjs (the worker threads of every heavy run)
//   electron/preload.ts → dist-electron/preload.cjs (one CommonJS file, only `electron` external:
//                                                     a sandboxed preload cannot require anything else)
// Runs directly on Node 24 (type stripping), so this file uses erasable TypeScript only.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { callNames } from '../core/contract/calls.ts';

const root = path.resolve(import.meta.dirname, '..');

export const outDir = 'dist-electron';
/** package.json "main" must name this file (tests/unit/electron-builder-config.test.ts checks it). */
export const mainOutfile = `${outDir}/main.cjs`;
export const preloadOutfile = `${outDir}/preload.cjs`;
/** The pooled worker threads (jobs and optimisations); core/jobs/warm-threads.ts finds it beside main.cjs. */
export const threadWorkerOutfile = `${outDir}/thread-worker.cjs`;

/**
 * Loaded by Node at run time: native addons (and electron itself) cannot be bundled; ccxt is
 * imported lazily (core/venues/ccxt/load-ccxt.ts) and is too big to parse at every start.
 */
export const mainExternals = ['electron', 'better-sqlite3', '@napi-rs/keyring', 'ccxt'];

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  target: 'es2023',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // Never let a stray `process.env.NODE_ENV` check pick a development build of a dependency.
  define: { 'process.env.NODE_ENV': '"production"' },
};

export const mainBuild: BuildOptions = {
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: mainOutfile,
  platform: 'node',
  target: 'node22',
  external: mainExternals,
  // import.meta has no CommonJS equivalent. Rather than undefined (a crash at load for code such as
  // path.resolve(import.meta.dirname, …)), it names the bundle itself: dist-electron/main.cjs, in the
  // repository or inside app.asar. Core code that locates files this way must let main pass the path.
  define: {
    ...common.define,
    'import.meta.url': '__autobot_import_meta_url',
    'import.meta.dirname': '__dirname',
    'import.meta.filename': '__filename',
  },
  banner: { js: "const __autobot_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};

/** A pooled thread: every registered job and the optimiser's evaluator bundled in. */
export const threadWorkerBuild: BuildOptions = {
  ...mainBuild,
  entryPoints: ['core/jobs/thread-worker.ts'],
  outfile: threadWorkerOutfile,
};

/**
 * The preload needs only the call names from core/contract/calls.ts, not the zod schemas behind
 * them. This plugin replaces that module, for the preload bundle only, with the names read from the
 * real table at build time: the preload shrinks from ~750 kB to a few kB and evaluates no zod on
 * every window load. Importing anything else from calls.ts in the preload fails the build.
 */
export const callNamesOnly: Plugin = {
  name: 'autobot-call-names-only',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]core[\\/]contract[\\/]calls\.ts$/ }, () => ({
      contents: `export const callNames = Object.freeze(${JSON.stringify(callNames)});\n`,
      loader: 'js',
    }));
  },
};

export const preloadBuild: BuildOptions = {
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: preloadOutfile,
  // "browser" makes any Node built-in a build error: the sandboxed preload has none of them.
  platform: 'browser',
  target: 'chrome130',
  external: ['electron'],
  plugins: [callNamesOnly],
};

export async function buildElectron(): Promise<void> {
  rmSync(path.join(root, outDir), { recursive: true, force: true });
  await Promise.all([build(mainBuild), build(preloadBuild), build(threadWorkerBuild)]);
}

if (import.meta.main) {
  const started = performance.now();
  try {
    await buildElectron();
    console.log(
      `built ${mainOutfile} and ${preloadOutfile} in ${Math.round(performance.now() - started)} ms`,
    );
  } catch (error) {
    // esbuild has already printed the located errors.
    if (!(error instanceof Error && 'errors' in error)) console.error(error);
    process.exitCode = 1;
  }
}

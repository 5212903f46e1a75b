// electron-builder.yml, checked offline: loaded and validated by electron-builder's own code
// (app-builder-lib's getConfig + validateConfiguration against its JSON schema, exactly what
// `electron-builder --config electron-builder.yml` runs first), then the security-relevant settings.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mainOutfile, preloadOutfile } from '../../scripts/build-electron.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const configFile = path.join(root, 'electron-builder.yml');

// app-builder-lib, builder-util and js-yaml are electron-builder's own dependencies: resolve them the
// way electron-builder does, so this checks the very code and schema `npm run dist` uses.
const requireFromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));

interface BuilderConfigModule {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
}
type TargetEntry = string | { target: string; arch?: string[] };
interface BuilderConfig {
  appId?: string;
  productName?: string;
  asar?: boolean;
  asarUnpack?: string[];
  directories?: { output?: string; buildResources?: string };
  files?: Array<string | { filter?: string[] }>;
  extraResources?: Array<{ from?: string; to?: string; filter?: string[] }>;
  electronFuses?: Record<string, boolean>;
  win?: { target?: TargetEntry[] };
  mac?: { target?: TargetEntry[]; hardenedRuntime?: boolean; notarize?: boolean };
  linux?: { target?: TargetEntry[] };
  [key: string]: unknown;
}

const builderConfig = requireFromBuilder('app-builder-lib/out/util/config/config.js') as BuilderConfigModule;
const { DebugLogger } = requireFromBuilder('builder-util') as {
  DebugLogger: new (enabled: boolean) => unknown;
};
const yaml = requireFromBuilder('js-yaml') as { load(text: string): unknown };

const raw = yaml.load(readFileSync(configFile, 'utf8')) as BuilderConfig;
let loaded: BuilderConfig;

beforeAll(async () => {
  loaded = await builderConfig.getConfig(root, configFile, null);
});

const targetNames = (targets: TargetEntry[] | undefined) =>
  (targets ?? []).map((entry) => (typeof entry === 'string' ? entry : entry.target));

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration validation", async () => {
    await expect(
      builderConfig.validateConfiguration(loaded, new DebugLogger(false)),
    ).resolves.toBeUndefined();
  });

  it('is really validated: a misspelt fuse is refused', async () => {
    const broken = { ...loaded, electronFuses: { ...loaded.electronFuses, runAsNod: false } };
    await expect(builderConfig.validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(
      /electronFuses/,
    );
  });

  it('names the app and its output folder', () => {
    expect(raw.appId).toBe('app.autobot.terminal');
    expect(raw.productName).toBe('AUTOBOT');
    expect(raw.directories?.output).toBe('release');
  });

  it('flips every security fuse', () => {
    expect(raw.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs the app into asar with native addons unpacked', () => {
    expect(raw.asar).toBe(true);
    expect(raw.asarUnpack).toContain('**/*.node');
  });

  it('packages the two bundles, the built UI and package.json, and nothing of the sources', () => {
    expect(raw.files).toEqual(['dist-electron/**/*', 'dist/renderer/**/*', 'package.json']);
    expect(mainOutfile.startsWith('dist-electron/')).toBe(true);
    expect(preloadOutfile.startsWith('dist-electron/')).toBe(true);
  });

  it('builds Windows nsis + portable, macOS dmg + zip (hardened, notarised when credentials exist), Linux AppImage', () => {
    expect(targetNames(raw.win?.target).sort()).toEqual(['nsis', 'portable']);
    expect(targetNames(raw.mac?.target).sort()).toEqual(['dmg', 'zip']);
    expect(raw.mac?.hardenedRuntime).toBe(true);
    expect(raw.mac?.notarize).toBe(true);
    expect(targetNames(raw.linux?.target)).toEqual(['AppImage']);
  });

  it('copies the licence public key only if it exists', () => {
    expect(raw.extraResources).toContainEqual({ from: 'resources', to: '.', filter: ['vendor-public.pem'] });
  });

  it('is paired with package.json "main" naming the bundle scripts/build-electron.ts writes', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      main?: string;
      scripts?: Record<string, string>;
    };
    expect(manifest.main).toBe(mainOutfile);
    expect(mainOutfile).toBe('dist-electron/main.cjs');
    expect(manifest.scripts?.['build:electron']).toBe('node scripts/build-electron.ts');
  });

  it('has an app icon of at least 512×512 for every platform', () => {
    const png = readFileSync(path.join(root, raw.directories?.buildResources ?? 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(512);
  });
});

describe('the release workflow', () => {
  const workflow = yaml.load(
    readFileSync(path.join(root, '.github', 'workflows', 'release.yml'), 'utf8'),
  ) as {
    jobs: Record<string, { strategy?: { matrix?: { include?: Array<Record<string, string>> } } }>;
  };
  const text = readFileSync(path.join(root, '.github', 'workflows', 'release.yml'), 'utf8');

  it('builds on Windows, macOS and Linux with this config and never publishes', () => {
    const include = Object.values(workflow.jobs).flatMap((job) => job.strategy?.matrix?.include ?? []);
    expect(include.map((entry) => entry.os).sort()).toEqual([
      'macos-latest',
      'ubuntu-latest',
      'windows-latest',
    ]);
    expect(include.map((entry) => entry.targets).sort()).toEqual([
      '--linux AppImage',
      '--mac dmg zip',
      '--win nsis portable',
    ]);
    expect(text).toMatch(/electron-builder --config electron-builder\.yml --publish never/);
    expect(text).toMatch(/node-version: ['"]?24/);
  });
});

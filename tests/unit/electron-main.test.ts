// electron/main.ts as bundled by scripts/build-electron.ts, run against a recording stand-in for the
// `electron` module (the real binary cannot be downloaded on the build machines). It proves the
// wiring the pure tests cannot: the checklist settings reach BrowserWindow and the session, the
// app:// handler serves dist/renderer and nothing else, every call channel is guarded, core events
// reach the window, and quitting closes the core.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callNames } from '../../core/contract/calls.ts';
import { mainBuild } from '../../scripts/build-electron.ts';
import { contentSecurityPolicy } from '../../electron/security.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { makeTestVendor } from '../support/test-license.ts';
import { KeychainSecretStore } from '../../core/secrets/secret-store.ts';

type Listener = (...args: unknown[]) => unknown;

/** A recording function whose calls survive between tests (vitest clears vi.fn mocks per test). */
function recorder<A extends unknown[], R>(implementation: (...args: A) => R = (() => undefined) as never) {
  const calls: A[] = [];
  const fn = (...args: A): R => {
    calls.push(args);
    return implementation(...args);
  };
  return Object.assign(fn, { calls });
}

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  once(name: string, listener: Listener): this {
    return this.on(name, listener);
  }
  emit(name: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(name) ?? []).map((listener) => listener(...args));
  }
}

class FakeWebContents extends Emitter {
  url = '';
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly send = recorder();
  getURL() {
    return this.url;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

function navigationEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

function fakeElectron(options: { dataDir: string; lock: boolean }) {
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let windowOpened!: () => void;
  const firstWindow = new Promise<void>((resolve) => (windowOpened = resolve));
  const paths = new Map<string, string>([['appData', path.join(options.dataDir, 'appData')]]);
  const windows: FakeWindow[] = [];
  const ipcHandlers = new Map<string, Listener>();

  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    getAppPath: () => options.dataDir,
    enableSandbox: recorder(),
    setPath: recorder((name: string, value: string) => paths.set(name, value)),
    getPath: (name: string) => paths.get(name) ?? path.join(options.dataDir, name),
    requestSingleInstanceLock: recorder(() => options.lock),
    quit: recorder(),
    exit: recorder(),
    whenReady: recorder(() => ready),
  });

  class FakeWindow extends Emitter {
    static getAllWindows() {
      return [...windows];
    }
    readonly webContents = new FakeWebContents();
    readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>;
    constructor(options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
      windowOpened();
    }
    loadURL(url: string) {
      this.webContents.url = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    show = recorder();
    restore = recorder();
    focus = recorder();
  }

  const electron = {
    app,
    BrowserWindow: FakeWindow,
    dialog: { showErrorBox: recorder() },
    ipcMain: {
      handle: recorder((channel: string, listener: Listener) => ipcHandlers.set(channel, listener)),
      removeHandler: recorder((channel: string) => ipcHandlers.delete(channel)),
    },
    protocol: { registerSchemesAsPrivileged: recorder(), handle: recorder() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: recorder(),
        setPermissionCheckHandler: recorder(),
        setDevicePermissionHandler: recorder(),
        webRequest: { onHeadersReceived: recorder() },
      },
    },
    shell: { openExternal: recorder(async () => {}) },
  };
  return { electron, markReady, firstWindow, windows, ipcHandlers };
}

const repoRequire = createRequire(import.meta.url);
let bundle: string;
const temp = makeTempDir('autobot-electron-main-');
const bundleDir = path.join(temp.dir, 'dist-electron');
const dataDir = path.join(temp.dir, 'data');
const vendor = makeTestVendor();
const testKeyFile = path.join(temp.dir, 'test-public.pem');
writeFileSync(testKeyFile, vendor.publicKeyPem);
const keychainService = `autobot-test-${randomUUID()}`;

/** Evaluates main.cjs as Electron would, with `require('electron')` answered by the stand-in. */
function runMain(lock: boolean) {
  const fake = fakeElectron({ dataDir: temp.dir, lock });
  const module = { exports: {} };
  const requireForBundle = (id: string) => (id === 'electron' ? fake.electron : repoRequire(id));
  const previous = process.env.AUTOBOT_DATA_DIR;
  process.env.AUTOBOT_DATA_DIR = dataDir;
  // A development run may trust a test licence key and use its own keychain service (dev-overrides.ts).
  process.env.AUTOBOT_TEST_PUBLIC_KEY_FILE = testKeyFile;
  process.env.AUTOBOT_KEYCHAIN_SERVICE = keychainService;
  try {
    new Function('require', 'module', 'exports', '__filename', '__dirname', bundle)(
      requireForBundle,
      module,
      module.exports,
      path.join(bundleDir, 'main.cjs'),
      bundleDir,
    );
  } finally {
    delete process.env.AUTOBOT_TEST_PUBLIC_KEY_FILE;
    delete process.env.AUTOBOT_KEYCHAIN_SERVICE;
    if (previous === undefined) delete process.env.AUTOBOT_DATA_DIR;
    else process.env.AUTOBOT_DATA_DIR = previous;
  }
  return fake;
}

let main: ReturnType<typeof runMain>;
const topFrame = { senderFrame: { url: 'app://autobot/index.html', parent: null } };

beforeAll(async () => {
  const renderer = path.join(temp.dir, 'dist', 'renderer');
  mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>AUTOBOT</title>');
  writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(temp.dir, 'dist', 'secret.txt'), 'not for the renderer');

  const result = await build({ ...mainBuild, write: false, sourcemap: false, logLevel: 'silent' });
  bundle = result.outputFiles[0]!.text;

  main = runMain(true);
  main.markReady();
  await main.firstWindow;
  expect(main.windows).toHaveLength(1);
});

afterAll(async () => {
  const secrets = new KeychainSecretStore(keychainService);
  for (const name of await secrets.list().catch(() => [])) await secrets.delete(name);
  main?.electron.app.emit('will-quit');
  temp.cleanup();
});

describe('electron main (bundled, against a stand-in electron)', () => {
  it('registers app:// as a privileged standard scheme, sandboxes everything and takes the instance lock', () => {
    const { electron } = main;
    expect(electron.protocol.registerSchemesAsPrivileged.calls).toEqual([
      [
        [
          {
            scheme: 'app',
            privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
          },
        ],
      ],
    ]);
    expect(electron.app.enableSandbox.calls).toHaveLength(1);
    expect(electron.app.requestSingleInstanceLock.calls).toHaveLength(1);
    expect(electron.app.setPath.calls).toContainEqual(['userData', dataDir]);
  });

  it('opens one window with the security checklist in its webPreferences, on app://autobot', () => {
    const [window] = main.windows;
    expect(window!.options.webPreferences).toEqual({
      preload: path.join(bundleDir, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: true,
    });
    expect(window!.webContents.getURL()).toBe('app://autobot/index.html');
  });

  it('denies every permission and sets the CSP header on web responses', () => {
    const ses = main.electron.session.defaultSession;
    const request = ses.setPermissionRequestHandler.calls[0]![0] as (...args: unknown[]) => void;
    const callback = vi.fn();
    request({}, 'media', callback, {});
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    const check = ses.setPermissionCheckHandler.calls[0]![0] as (...args: unknown[]) => boolean;
    expect(check({}, 'clipboard-read', 'app://autobot', {})).toBe(false);
    const device = ses.setDevicePermissionHandler.calls[0]![0] as (...args: unknown[]) => boolean;
    expect(device({})).toBe(false);
    const onHeaders = ses.webRequest.onHeadersReceived.calls[0]![0] as (...args: unknown[]) => void;
    const headersCallback = vi.fn();
    onHeaders({ responseHeaders: { 'content-security-policy': ['default-src *'] } }, headersCallback);
    expect(headersCallback.mock.calls[0]![0]).toMatchObject({
      responseHeaders: { 'Content-Security-Policy': [contentSecurityPolicy] },
    });
  });

  it('serves dist/renderer on app://autobot with the CSP, and nothing outside it', async () => {
    const [scheme, handler] = main.electron.protocol.handle.calls[0]! as [
      string,
      (request: { url: string; method: string }) => Promise<Response>,
    ];
    expect(scheme).toBe('app');
    const get = (url: string, method = 'GET') => handler({ url, method });

    const index = await get('app://autobot/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(await index.text()).toContain('<title>AUTOBOT</title>');
    expect((await get('app://autobot/assets/app.js')).headers.get('content-type')).toMatch(/javascript/);

    expect((await get('app://autobot/..%2fsecret.txt')).status).toBe(403);
    expect((await get('app://autobot/assets/%2e%2e%2f..%2fsecret.txt')).status).toBe(403);
    expect((await get('app://autobot/../secret.txt')).status).toBe(404);
    expect((await get('app://autobot/missing.js')).status).toBe(404);
    expect((await get('app://autobot/assets')).status).toBe(404);
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('app://autobot/index.html', 'POST')).status).toBe(405);
  });

  it('registers one guarded channel per declared call, answering from a core on the data dir', async () => {
    const channels = [...main.ipcHandlers.keys()].sort();
    expect(channels).toEqual(callNames.map((name) => `autobot:call:${name}`).sort());
    const info = main.ipcHandlers.get('autobot:call:app.info')!;
    await expect(info(topFrame, {})).resolves.toMatchObject({
      ok: true,
      value: { name: 'AUTOBOT', host: 'electron', dataDir },
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const subFrame = { senderFrame: { url: 'app://autobot/index.html', parent: topFrame.senderFrame } };
    await expect(info(subFrame, {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden_sender' },
    });
    const foreign = { senderFrame: { url: 'https://evil.example/', parent: null } };
    await expect(info(foreign, {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden_sender' },
    });
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });

  it('forwards core events to the app window', async () => {
    const install = main.ipcHandlers.get('autobot:call:license.install')!;
    await expect(install(topFrame, { key: vendor.issue() })).resolves.toMatchObject({
      ok: true,
      value: { state: 'valid', testKeyTrusted: true },
    });
    const importCandles = main.ipcHandlers.get('autobot:call:candles.import')!;
    const csv = ',Open,High,Low,Close,Volume\n2024-01-01,10,12,9,11,100\n';
    await expect(importCandles(topFrame, { symbol: 'GOOG', timeframe: '1d', csv })).resolves.toMatchObject({
      ok: true,
    });
    expect(main.windows[0]!.webContents.send.calls).toContainEqual([
      'autobot:event',
      'candles.changed',
      { symbol: 'GOOG', timeframe: '1d' },
    ]);
  });

  it('keeps navigation on the app origin, denies new windows and webviews, opens only allow-listed https links', () => {
    const contents = main.windows[0]!.webContents;
    const openExternal = main.electron.shell.openExternal;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});

    const away = navigationEvent('https://evil.example/');
    contents.emit('will-navigate', away);
    expect(away.preventDefault).toHaveBeenCalled();
    expect(openExternal.calls).toEqual([]);

    const docs = navigationEvent('https://github.com/autobot');
    contents.emit('will-navigate', docs);
    expect(docs.preventDefault).toHaveBeenCalled();
    expect(openExternal.calls).toEqual([['https://github.com/autobot']]);

    const inApp = navigationEvent('app://autobot/index.html');
    contents.emit('will-navigate', inApp);
    expect(inApp.preventDefault).not.toHaveBeenCalled();

    const redirect = navigationEvent('https://evil.example/');
    contents.emit('will-redirect', redirect);
    expect(redirect.preventDefault).toHaveBeenCalled();

    expect(contents.windowOpenHandler!({ url: 'app://autobot/index.html' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'http://github.com/' })).toEqual({ action: 'deny' });
    expect(openExternal.calls).toHaveLength(1);

    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('a second instance quits at once without opening the core', async () => {
    const second = runMain(false);
    second.markReady();
    expect(second.electron.app.quit.calls).toHaveLength(1);
    // Windows open and channels register only once the app is ready; this instance never asks.
    expect(second.electron.app.whenReady.calls).toHaveLength(0);
    expect(second.windows).toHaveLength(0);
    expect(second.ipcHandlers.size).toBe(0);
  });

  it('closes the core and drops every channel on quit', () => {
    main.electron.app.emit('will-quit');
    expect(main.ipcHandlers.size).toBe(0);
  });
});

// The IPC main layer without Electron: fake invoke events carry the sender frame Electron would
// give, a fake ipcMain records the channels, and a real core answers behind them.
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../core/app/app.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { callNames } from '../../core/contract/calls.ts';
import type { Dispatch } from '../../core/contract/dispatch.ts';
import { buildBridge, buildEventBridge } from '../../electron/bridge.ts';
import {
  callChannel,
  createIpcCallHandler,
  eventChannel,
  registerIpcCalls,
  type IpcInvokeEventLike,
  type IpcMainLike,
} from '../../electron/ipc.ts';
import { appEntryUrl, appOrigin } from '../../electron/security.ts';
import { preloadBuild } from '../../scripts/build-electron.ts';
import { makeTempDir } from '../support/temp-dir.ts';

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What Electron does for `ipcRenderer.invoke(channel, ...args)`; a missing handler rejects. */
  async invoke(event: IpcInvokeEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return listener(event, ...args);
  }
}

const topFrame = (url = appEntryUrl): IpcInvokeEventLike => ({ senderFrame: { url, parent: null } });
const subFrame = (url = appEntryUrl): IpcInvokeEventLike => ({
  senderFrame: { url, parent: { url: appEntryUrl, parent: null } },
});

let temp: ReturnType<typeof makeTempDir>;
let app: App;
let dispatch: ReturnType<typeof vi.fn<Dispatch>>;

beforeAll(async () => {
  temp = makeTempDir();
  ({ app } = await createLicensedTestApp({ dataDir: temp.dir }));
  dispatch = vi.fn<Dispatch>((name, input) => app.dispatch(name, input));
});

afterAll(() => {
  app.close();
  temp.cleanup();
});

describe('createIpcCallHandler', () => {
  it('passes a trusted call to the core and returns its CallResult', async () => {
    const handler = createIpcCallHandler(dispatch, appOrigin);
    const result = await handler(topFrame(), 'app.info', {});
    expect(result).toMatchObject({ ok: true, value: { name: 'AUTOBOT', host: 'test', dataDir: temp.dir } });
  });

  it('answers an invalid candles.get payload with invalid_input and one issue per field', async () => {
    const handler = createIpcCallHandler(dispatch, appOrigin);
    const result = await handler(topFrame(), 'candles.get', { symbol: 'A B', timeframe: '2h', from: -1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'symbol', message: expect.stringMatching(/letters, digits/) },
        { path: 'timeframe', message: expect.any(String) },
        { path: 'from', message: expect.any(String) },
      ]),
    );
    for (const issue of result.error.issues ?? []) {
      expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
    }
  });

  it('answers a payload that is not an object with invalid_input on the payload itself', async () => {
    const handler = createIpcCallHandler(dispatch, appOrigin);
    const result = await handler(topFrame(), 'candles.get', 'GOOG');
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: '' }] } });
  });

  it('answers an unknown call name with unknown_call', async () => {
    const handler = createIpcCallHandler(dispatch, appOrigin);
    for (const name of ['orders.place', '__proto__', 'constructor', '']) {
      const result = await handler(topFrame(), name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
    }
  });

  it.each([
    ['a sub-frame of the app', subFrame()],
    ['a foreign https page', topFrame('https://evil.example/')],
    ['a file:// page', topFrame('file:///home/user/evil.html')],
    ['another app:// host', topFrame('app://evil/index.html')],
    ['a foreign sub-frame', subFrame('https://evil.example/frame.html')],
    ['a destroyed frame', { senderFrame: null }],
    ['an event without frame', {} as IpcInvokeEventLike],
  ])('refuses %s with forbidden_sender and never dispatches', async (_label, event) => {
    dispatch.mockClear();
    const rejected = vi.fn();
    const handler = createIpcCallHandler(dispatch, appOrigin, { onRejectedSender: rejected });
    for (const name of ['app.info', 'candles.get', 'vault.save', 'no.such.call']) {
      const result = await handler(event, name, { symbol: 'GOOG', timeframe: '1d' });
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    }
    expect(dispatch).not.toHaveBeenCalled();
    expect(rejected).toHaveBeenCalledTimes(4);
  });

  it('turns a dispatcher that throws into an internal error instead of a rejected invoke', async () => {
    const handler = createIpcCallHandler(() => Promise.reject(new Error('boom')), appOrigin);
    await expect(handler(topFrame(), 'app.info', {})).resolves.toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });
});

describe('registerIpcCalls', () => {
  it('registers exactly one channel per declared call, and removes them all', () => {
    const ipcMain = new FakeIpcMain();
    const unregister = registerIpcCalls(ipcMain, createIpcCallHandler(dispatch, appOrigin));
    expect([...ipcMain.handlers.keys()].sort()).toEqual(callNames.map(callChannel).sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('routes each channel to its own call name, whatever else the renderer sends', async () => {
    const ipcMain = new FakeIpcMain();
    registerIpcCalls(ipcMain, createIpcCallHandler(dispatch, appOrigin));
    dispatch.mockClear();
    const result = await ipcMain.invoke(topFrame(), callChannel('app.info'), {}, 'vault.save', { key: 'x' });
    expect(result).toMatchObject({ ok: true, value: { name: 'AUTOBOT' } });
    expect(dispatch).toHaveBeenCalledExactlyOnceWith('app.info', {});
  });

  it('validates through the channel: invalid candles.get → invalid_input, sub-frame → forbidden_sender', async () => {
    const ipcMain = new FakeIpcMain();
    registerIpcCalls(ipcMain, createIpcCallHandler(dispatch, appOrigin));
    const invalid = await ipcMain.invoke(topFrame(), callChannel('candles.get'), {
      symbol: '',
      timeframe: '1d',
    });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((invalid as { error: { issues: unknown[] } }).error.issues).toContainEqual({
      path: 'symbol',
      message: 'symbol is required',
    });
    dispatch.mockClear();
    const forbidden = await ipcMain.invoke(subFrame(), callChannel('candles.get'), {
      symbol: 'GOOG',
      timeframe: '1d',
    });
    expect(forbidden).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('has no channel for an undeclared name, so the renderer cannot reach one', async () => {
    const ipcMain = new FakeIpcMain();
    registerIpcCalls(ipcMain, createIpcCallHandler(dispatch, appOrigin));
    await expect(ipcMain.invoke(topFrame(), callChannel('orders.place'), {})).rejects.toThrow(/No handler/);
    await expect(ipcMain.invoke(topFrame(), 'autobot:invoke', 'app.info', {})).rejects.toThrow(/No handler/);
  });
});

describe('the preload bridge', () => {
  it('exposes exactly one function per declared call and nothing else', () => {
    const bridge = buildBridge(callNames, async () => undefined);
    expect(Object.keys(bridge).sort()).toEqual([...callNames].sort());
    for (const name of callNames) expect(typeof bridge[name]).toBe('function');
    expect('invoke' in bridge).toBe(false);
    expect('send' in bridge).toBe(false);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends each function to its own channel with the input alone', async () => {
    const invoke = vi.fn(async () => ({ ok: true, value: 1 }));
    const bridge = buildBridge(callNames, invoke);
    await bridge['candles.get']({ symbol: 'GOOG', timeframe: '1d' });
    expect(invoke).toHaveBeenCalledExactlyOnceWith('autobot:call:candles.get', {
      symbol: 'GOOG',
      timeframe: '1d',
    });
  });

  it('reaches the real core end to end: bridge → channel → sender check → dispatcher', async () => {
    const ipcMain = new FakeIpcMain();
    registerIpcCalls(ipcMain, createIpcCallHandler(dispatch, appOrigin));
    const fromApp = buildBridge(callNames, (channel, input) => ipcMain.invoke(topFrame(), channel, input));
    const fromFrame = buildBridge(callNames, (channel, input) => ipcMain.invoke(subFrame(), channel, input));

    await expect(fromApp['candles.list']({})).resolves.toEqual({ ok: true, value: { series: [] } });
    await expect(fromApp['candles.get']({ symbol: 'GOOG', timeframe: '7m' as '1m' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'timeframe' }] },
    });
    await expect(fromFrame['app.info']({})).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden_sender' },
    });
  });

  it('delivers events as (name, payload) without Electron’s event object, until unsubscribed', () => {
    const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
    const source = {
      on(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      },
      removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void) {
        listeners.get(channel)?.delete(listener);
      },
    };
    const emit = (...args: unknown[]) => {
      for (const listener of listeners.get(eventChannel) ?? []) listener({ sender: 'ipcRenderer' }, ...args);
    };
    const events = buildEventBridge(source);
    expect(Object.keys(events)).toEqual(['subscribe']);
    const received = vi.fn();
    const unsubscribe = events.subscribe(received);
    emit('candles.changed', { symbol: 'GOOG', timeframe: '1d' });
    expect(received).toHaveBeenCalledExactlyOnceWith('candles.changed', { symbol: 'GOOG', timeframe: '1d' });
    unsubscribe();
    unsubscribe();
    emit('candles.changed', { symbol: 'X', timeframe: '1d' });
    expect(received).toHaveBeenCalledTimes(1);
    expect(listeners.get(eventChannel)?.size).toBe(0);
    expect(() => events.subscribe('nope' as unknown as () => void)).toThrow(TypeError);
  });
});

describe('the preload bundle (dist-electron/preload.cjs)', () => {
  it('requires nothing but electron and exposes exactly window.autobot and window.autobotEvents', async () => {
    const result = await build({ ...preloadBuild, write: false, sourcemap: false, logLevel: 'silent' });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/zod/);

    const exposed = new Map<string, Record<string, unknown>>();
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api),
      },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invoked.push(args);
          return { ok: true, value: null };
        },
        on: () => {},
        removeListener: () => {},
      },
    };
    const required: string[] = [];
    const sandboxRequire = (id: string) => {
      required.push(id);
      if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
      return electron;
    };
    const module = { exports: {} };
    new Function('require', 'module', 'exports', code)(sandboxRequire, module, module.exports);

    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['autobot', 'autobotEvents']);
    expect(Object.keys(exposed.get('autobot')!).sort()).toEqual([...callNames].sort());
    expect(Object.keys(exposed.get('autobotEvents')!)).toEqual(['subscribe']);
    await (exposed.get('autobot')!['vault.list'] as (input: unknown) => Promise<unknown>)({});
    expect(invoked).toEqual([['autobot:call:vault.list', {}]]);
  });
});

// Electron main process: a thin host around the core. It serves the built renderer on the
// privileged app://autobot origin, locks the window down (Electron's security checklist, see
// docs/electron.md), wires one validated IPC channel per declared call to the core's dispatcher and
// forwards core events to the windows. All security decisions live in security.ts and ipc.ts.
// Bundled by scripts/build-electron.ts into dist-electron/main.cjs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  protocol,
  session,
  shell,
  type Session,
  type WebContents,
} from 'electron';
import { createApp, type App } from '../core/app/app.ts';
import { devHostOverrides } from '../core/app/dev-overrides.ts';
import type { EventName } from '../core/contract/calls.ts';
import { createIpcCallHandler, eventChannel, registerIpcCalls } from './ipc.ts';
import {
  appEntryUrl,
  appHost,
  appOrigin,
  appScheme,
  contentSecurityPolicy,
  contentTypeFor,
  isAllowedExternalUrl,
  isSameOrigin,
  resolveAppFile,
  withSecurityHeaders,
} from './security.ts';

// main.cjs lives in dist-electron/, next to preload.cjs, in the repository and inside app.asar alike.
const rendererRoot = path.join(__dirname, '..', 'dist', 'renderer');
const preloadPath = path.join(__dirname, 'preload.cjs');

// Before `ready`: the scheme must be privileged (standard + secure) to be a real origin with fetch,
// and every renderer must be sandboxed whatever its webPreferences say.
protocol.registerSchemesAsPrivileged([
  {
    scheme: appScheme,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
]);
app.enableSandbox();

// Read at start, like AUTOBOT_DATA_DIR; used only when the app is not packaged.
const devOverrides = devHostOverrides(process.env);

// The data folder is the one `autobot serve` uses by default (core/app/data-dir.ts): <appData>/AUTOBOT,
// or AUTOBOT_DATA_DIR. It must be set before the single-instance lock, which lives in it.
app.setPath(
  'userData',
  process.env.AUTOBOT_DATA_DIR
    ? path.resolve(process.env.AUTOBOT_DATA_DIR)
    : path.join(app.getPath('appData'), 'AUTOBOT'),
);

if (app.requestSingleInstanceLock()) {
  start();
} else {
  app.quit();
}

function start(): void {
  let core: App | null = null;
  let stopCalls = () => {};
  let stopEvents = () => {};

  app.on('second-instance', () => {
    const window = BrowserWindow.getAllWindows()[0];
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => {
    stopCalls();
    stopEvents();
    core?.close();
    core = null;
  });

  app
    .whenReady()
    .then(() => {
      hardenSession(session.defaultSession);
      serveRenderer();

      // The vendor licence key ships in <resources>/vendor-public.pem (electron-builder extraResources).
      const resourcesDir = app.isPackaged ? process.resourcesPath : path.join(app.getAppPath(), 'resources');
      const running = createApp({
        dataDir: app.getPath('userData'),
        host: 'electron',
        resourcesDir,
        ...(app.isPackaged ? {} : devOverrides),
      });
      core = running;
      const handler = createIpcCallHandler(running.dispatch, appOrigin, {
        onRejectedSender: (name, sender) =>
          console.warn(
            `[autobot] refused IPC call ${name} from ${sender ? sender.url : 'a destroyed frame'}`,
          ),
      });
      stopCalls = registerIpcCalls(ipcMain, handler);
      stopEvents = running.events.subscribe(broadcastEvent);

      createWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) createWindow();
      });
    })
    .catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox('AUTOBOT could not start', reason);
      app.exit(1);
    });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    title: 'AUTOBOT',
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#0b0e11',
    webPreferences: {
      preload: preloadPath,
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
      devTools: !app.isPackaged,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.once('did-fail-load', (_event, code, description) => {
    console.error(`[autobot] the window could not load ${appEntryUrl}: ${description} (${code})`);
    window.show();
  });
  void window.loadURL(appEntryUrl);
  return window;
}

/** Core events go only to windows showing the app's own origin. */
function broadcastEvent(name: EventName, payload: unknown): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (window.isDestroyed()) continue;
    const contents = window.webContents;
    if (isSameOrigin(contents.getURL(), appOrigin)) contents.send(eventChannel, name, payload);
  }
}

/** app://autobot/<path> → dist/renderer/<path>; anything outside it is refused. */
function serveRenderer(): void {
  const headers = (contentType: string) => ({
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  const refuse = (status: number, text: string) =>
    new Response(text, { status, headers: headers('text/plain; charset=utf-8') });

  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    if (url.host !== appHost) return refuse(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
    const file = resolveAppFile(rendererRoot, url.pathname);
    if (!file) return refuse(403, 'Forbidden');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return refuse(404, 'Not found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: headers(contentTypeFor(file)),
    });
  });
}

function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // The CSP as a header on every web response too (the app:// handler above sets its own).
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) }),
  );
}

function openExternally(url: string): void {
  if (!isAllowedExternalUrl(url)) {
    console.warn(`[autobot] refused to open ${url}: not an allow-listed https address`);
    return;
  }
  shell.openExternal(url).catch((error: unknown) => console.warn(`[autobot] could not open ${url}`, error));
}

/** Every web contents, the main window's and any other: no navigation away, no new windows, no webviews. */
function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isSameOrigin(event.url, appOrigin)) return;
    event.preventDefault();
    openExternally(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (!isSameOrigin(event.url, appOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

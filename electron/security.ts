// The security decisions of the desktop shell as plain functions: no electron import, so vitest
// checks them directly. electron/main.ts and electron/ipc.ts only wire them to Electron's hooks
// (docs/electron.md lists every item of Electron's security checklist and where it is enforced).
import path from 'node:path';

/** The privileged custom scheme the renderer is served from: a real, stable origin to check senders against. */
export const appScheme = 'app';
export const appHost = 'autobot';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/**
 * The one Content-Security-Policy of the app: sent as a header on every response and repeated as a
 * <meta> in the renderer's index.html. No remote code, no inline scripts, no eval, no framing.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Hosts whose https pages a link in the app may open in the user's browser. Exact host names only
 * (no wildcard subdomains); add the documentation site here when it exists.
 */
export const externalHostAllowList: readonly string[] = ['github.com'];

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether `url` is on `origin`. Compares scheme and host:port explicitly, because WHATWG URL
 * reports the origin of a custom scheme such as app:// as the opaque "null".
 */
export function isSameOrigin(url: unknown, origin: string): boolean {
  const target = parseUrl(url);
  const expected = parseUrl(origin);
  if (!target || !expected) return false;
  // Node leaves a custom scheme's host as written; Chromium lower-cases it for standard schemes.
  const host = target.host.toLowerCase();
  return target.protocol === expected.protocol && host === expected.host.toLowerCase() && host !== '';
}

export interface SenderInfo {
  /** URL of the frame that sent the IPC message (`event.senderFrame.url`). */
  url: string;
  /** `event.senderFrame.parent === null`: the main frame of its window, not an iframe. */
  isTopFrame: boolean;
}

/** Only the app's own top-level page may call the core; iframes and foreign pages never may. */
export function isTrustedSender(sender: SenderInfo | null | undefined, origin: string): boolean {
  if (!sender || sender.isTopFrame !== true) return false;
  return isSameOrigin(sender.url, origin);
}

/** https only, an allow-listed host, no credentials in the URL, the default port. */
export function isAllowedExternalUrl(
  url: unknown,
  allowList: readonly string[] = externalHostAllowList,
): boolean {
  const target = parseUrl(url);
  if (!target) return false;
  if (target.protocol !== 'https:') return false;
  if (target.username !== '' || target.password !== '') return false;
  if (target.port !== '') return false;
  return allowList.includes(target.hostname.toLowerCase());
}

/**
 * Response headers with the app's CSP set, replacing any CSP the response carried in whatever
 * letter case (for `session.webRequest.onHeadersReceived`).
 */
export function withSecurityHeaders(
  headers: Record<string, string | string[]> | undefined,
  policy: string = contentSecurityPolicy,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'x-content-type-options') continue;
    result[name] = Array.isArray(value) ? value : [value];
  }
  result['Content-Security-Policy'] = [policy];
  result['X-Content-Type-Options'] = ['nosniff'];
  return result;
}

/**
 * Maps the path of an app:// URL to a file under `root`, or null when it would leave `root`
 * (`..`, encoded separators, absolute or drive paths, NUL bytes). "/" serves index.html.
 */
export function resolveAppFile(
  root: string,
  urlPathname: string,
  pathApi: path.PlatformPath = path,
): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  // Reject anything that could climb out before resolving, whatever the platform's separator.
  const segments = relative.split(/[\\/]/);
  if (segments.some((segment) => segment === '..')) return null;
  if (pathApi.isAbsolute(relative) || /^[A-Za-z]:/.test(relative)) return null;
  const base = pathApi.resolve(root);
  const resolved = pathApi.resolve(base, relative);
  const inside = pathApi.relative(base, resolved);
  if (inside === '' || inside.startsWith('..') || pathApi.isAbsolute(inside)) return null;
  return resolved;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The Content-Type served for a renderer file; unknown kinds are opaque bytes (and nosniff). */
export function contentTypeFor(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

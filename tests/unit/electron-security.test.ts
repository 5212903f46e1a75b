// The desktop shell's security decisions, tested as the plain functions electron/main.ts and
// electron/ipc.ts wire into Electron's hooks.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appEntryUrl,
  appOrigin,
  contentSecurityPolicy,
  contentTypeFor,
  isAllowedExternalUrl,
  isSameOrigin,
  isTrustedSender,
  resolveAppFile,
  withSecurityHeaders,
} from '../../electron/security.ts';

describe('the Content-Security-Policy', () => {
  it('is exactly the strict policy of docs/electron.md', () => {
    expect(contentSecurityPolicy).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });

  it('allows no eval, no inline script and no remote origin anywhere', () => {
    const directives = new Map(
      contentSecurityPolicy.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name!, values] as const;
      }),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval|wasm-unsafe-eval|\*|https?:|ws:/);
    for (const values of directives.values()) {
      for (const value of values)
        expect(["'self'", "'none'", "'unsafe-inline'", 'data:', 'blob:']).toContain(value);
    }
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('is set as a header on web responses, replacing any CSP the response carried', () => {
    const headers = withSecurityHeaders({
      'content-security-policy': ['default-src *'],
      'Content-Type': ['text/html'],
      'X-Content-Type-Options': 'sniff',
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [contentSecurityPolicy],
      'X-Content-Type-Options': ['nosniff'],
    });
    expect(withSecurityHeaders(undefined)['Content-Security-Policy']).toEqual([contentSecurityPolicy]);
  });
});

describe('isTrustedSender', () => {
  it('trusts the top-level frame of the app origin', () => {
    expect(isTrustedSender({ url: appEntryUrl, isTopFrame: true }, appOrigin)).toBe(true);
    expect(isTrustedSender({ url: 'app://autobot/', isTopFrame: true }, appOrigin)).toBe(true);
    expect(isTrustedSender({ url: 'app://autobot/index.html#/chart?x=1', isTopFrame: true }, appOrigin)).toBe(
      true,
    );
    expect(isTrustedSender({ url: 'APP://AUTOBOT/index.html', isTopFrame: true }, appOrigin)).toBe(true);
  });

  it('refuses sub-frames, even on the app origin', () => {
    expect(isTrustedSender({ url: appEntryUrl, isTopFrame: false }, appOrigin)).toBe(false);
  });

  it.each([
    'https://autobot/index.html',
    'http://autobot/',
    'app://autobot.evil/',
    'app://evil/index.html',
    'app://autobot:8080/',
    'app:///index.html',
    'file:///index.html',
    'file:///C:/AUTOBOT/dist/renderer/index.html',
    'devtools://devtools/bundled/inspector.html',
    'about:blank',
    'data:text/html,<script>1</script>',
    'https://github.com/',
    '',
    'not a url',
  ])('refuses a top frame on %s', (url) => {
    expect(isTrustedSender({ url, isTopFrame: true }, appOrigin)).toBe(false);
  });

  it('refuses a missing sender and malformed frame data', () => {
    expect(isTrustedSender(null, appOrigin)).toBe(false);
    expect(isTrustedSender(undefined, appOrigin)).toBe(false);
    expect(isTrustedSender({ url: 42 as unknown as string, isTopFrame: true }, appOrigin)).toBe(false);
    expect(isTrustedSender({ url: appEntryUrl, isTopFrame: 'yes' as unknown as boolean }, appOrigin)).toBe(
      false,
    );
  });

  it('isSameOrigin compares scheme and host, not the opaque "null" origin of custom schemes', () => {
    expect(new URL(appEntryUrl).origin).toBe('null');
    expect(isSameOrigin(appEntryUrl, appOrigin)).toBe(true);
    expect(isSameOrigin('app://other/index.html', appOrigin)).toBe(false);
    expect(isSameOrigin('null', 'null')).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it.each(['https://github.com/', 'https://github.com/owner/repo/issues?q=1#top', 'https://GitHub.com/x'])(
    'opens %s',
    (url) => {
      expect(isAllowedExternalUrl(url)).toBe(true);
    },
  );

  it.each([
    'http://github.com/',
    'https://github.com.evil.example/',
    'https://evil.example/github.com',
    'https://gist.github.com/',
    'https://user:pass@github.com/',
    'https://github.com@evil.example/',
    'https://github.com:8443/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'app://autobot/index.html',
    'mailto:someone@github.com',
    'smb://github.com/share',
    '//github.com/',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('refuses non-strings and uses a given allow-list', () => {
    expect(isAllowedExternalUrl(undefined)).toBe(false);
    expect(isAllowedExternalUrl({ href: 'https://github.com/' })).toBe(false);
    expect(isAllowedExternalUrl('https://docs.example.org/x', ['docs.example.org'])).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/', ['docs.example.org'])).toBe(false);
  });
});

describe('resolveAppFile (app:// → dist/renderer)', () => {
  const root = path.posix.join('/opt', 'autobot', 'dist', 'renderer');

  it('serves index.html for the root and files under the renderer folder', () => {
    expect(resolveAppFile(root, '/', path.posix)).toBe(`${root}/index.html`);
    expect(resolveAppFile(root, '', path.posix)).toBe(`${root}/index.html`);
    expect(resolveAppFile(root, '/index.html', path.posix)).toBe(`${root}/index.html`);
    expect(resolveAppFile(root, '/assets/index-abc.js', path.posix)).toBe(`${root}/assets/index-abc.js`);
    expect(resolveAppFile(root, '/assets/a%20b.css', path.posix)).toBe(`${root}/assets/a b.css`);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2F..%2Fsecret.txt',
    '/..%5csecret.txt',
    '/index.html%00.png',
    '/%E0%A4%A',
    '/.',
    '//etc/passwd/..',
  ])('refuses %s on POSIX', (pathname) => {
    expect(resolveAppFile(root, pathname, path.posix)).toBeNull();
  });

  it('never leaves the root for any URL a page could build', () => {
    for (const raw of ['app://autobot/../../etc/passwd', 'app://autobot/%2e%2e/%2e%2e/etc/passwd']) {
      const file = resolveAppFile(root, new URL(raw).pathname, path.posix);
      expect(file === null || file.startsWith(`${root}/`)).toBe(true);
    }
  });

  it.each([
    '/..\\..\\Windows\\win.ini',
    '/C:/Windows/win.ini',
    '/c:%5cWindows',
    '/%5c%5cserver%5cshare',
    '/\\\\server\\share',
  ])('refuses %s on Windows', (pathname) => {
    expect(
      resolveAppFile('C:\\AUTOBOT\\resources\\app.asar\\dist\\renderer', pathname, path.win32),
    ).toBeNull();
  });

  it('maps renderer files on Windows too', () => {
    expect(resolveAppFile('C:\\AUTOBOT\\dist\\renderer', '/assets/x.js', path.win32)).toBe(
      'C:\\AUTOBOT\\dist\\renderer\\assets\\x.js',
    );
  });

  it('serves each file with its content type', () => {
    expect(contentTypeFor('/r/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/r/assets/index.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/r/assets/app.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/r/icon.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('/r/whatever.bin')).toBe('application/octet-stream');
  });
});

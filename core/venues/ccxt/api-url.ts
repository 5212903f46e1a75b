// Points an exchange's REST base at another host (`--api-url`, a self-hosted mirror, the loopback
// fake of the tests): every string in `urls.api` keeps its path and gets the new origin, so
// "https://api.binance.com/api/v3" becomes "http://127.0.0.1:PORT/api/v3". Nested groups (some
// exchanges nest public/private under a section) are rewritten the same way. WebSocket entries keep
// their kind: "wss://stream.binance.com:9443/ws" becomes "ws://127.0.0.1:PORT/ws" (wss:// when the
// base is https://), so a mirror or a simulator serves the streams on the same origin.
export type UrlTree = string | { [key: string]: UrlTree };

export function rewriteApiUrls(api: UrlTree, base: string): UrlTree {
  const origin = parseBase(base);
  const visit = (node: UrlTree): UrlTree => {
    if (typeof node === 'string') {
      if (!/^[a-z]+:\/\//i.test(node)) return node;
      const url = new URL(node.replace('{hostname}', 'placeholder.invalid'));
      const path = url.pathname.replace(/\/$/, '') + url.search;
      if (/^wss?:/i.test(url.protocol)) return origin.replace(/^http/i, 'ws') + path;
      return origin + path;
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));
  };
  return visit(api);
}

/** The origin of `base`, refusing anything that is not an http(s) URL (the field named). */
export function parseBase(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new RangeError(`apiUrl: "${base}" is not a URL (expected e.g. http://127.0.0.1:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RangeError(`apiUrl: must start with http:// or https://, got ${url.protocol}`);
  return url.origin + url.pathname.replace(/\/$/, '');
}

// Defends a loopback API against web pages in the user's own browser: DNS rebinding shows up as a
// foreign Host header, cross-site requests as a foreign Origin.

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0] ?? '';
}

export function isAllowedRequest(
  headers: { host?: string | undefined; origin?: string | undefined },
  boundHost: string,
): boolean {
  const host = headers.host;
  if (!host) return false;
  const bindsLoopback = loopbackNames.has(boundHost);
  // Bound to a public interface (Docker, a LAN server) the operator chose exposure and fronts it with
  // their own proxy and auth; the Host check would only break that setup.
  if (bindsLoopback && !loopbackNames.has(hostnameOf(host).toLowerCase())) return false;
  if (headers.origin === undefined) return true;
  try {
    return new URL(headers.origin).host === host;
  } catch {
    return false;
  }
}

// Defends the API against web pages in the user's own browser: DNS rebinding shows up as a foreign
// Host header, cross-site requests as a foreign Origin. The Host check never switches off: bound to
// loopback names pass, and the host names the operator listed (required to bind beyond loopback).
import { AutobotError } from '../contract/errors.ts';

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Only these binds are loopback-only; 127.0.0.2, 0.0.0.0 or a LAN address reach further. */
export function bindsLoopbackOnly(boundHost: string): boolean {
  return loopbackNames.has(boundHost.toLowerCase());
}

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0] ?? '';
}

/** "a.example, B.example:8787" → ["a.example", "b.example"]: names only, lower case. */
export function parseAllowedHosts(list: string): string[] {
  return list
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry.length > 0)
    .map((entry) => (entry.startsWith('[') || entry.split(':').length > 2 ? entry : hostnameOf(entry)));
}

/**
 * Refuses a bind beyond loopback without an explicit list of the host names clients will use: the
 * Host check is what stops DNS rebinding, and it needs that list to work.
 */
export function assertBindable(boundHost: string, allowedHosts: readonly string[]): void {
  if (bindsLoopbackOnly(boundHost) || allowedHosts.length > 0) return;
  throw new AutobotError(
    'invalid_input',
    `Binding ${boundHost} reaches beyond this machine: give --allowed-hosts with the host names clients will use (e.g. --allowed-hosts autobot.lan,192.168.1.20).`,
    { issues: [{ path: 'allowedHosts', message: 'required when binding beyond loopback' }] },
  );
}

export function isAllowedRequest(
  headers: { host?: string | undefined; origin?: string | undefined },
  allowedHosts: readonly string[] = [],
): boolean {
  const host = headers.host;
  if (!host) return false;
  const name = hostnameOf(host).toLowerCase();
  // A reverse proxy on this machine may forward its own name to a loopback bind, hence the list too.
  if (!loopbackNames.has(name) && !allowedHosts.includes(name)) return false;
  if (headers.origin === undefined) return true;
  try {
    return new URL(headers.origin).host === host;
  } catch {
    return false;
  }
}

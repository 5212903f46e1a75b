import type { App } from '../../core/app/app.ts';
import { startServer, type RunningServer } from '../../core/server/server.ts';
import { createLicensedTestApp } from './licensed-app.ts';
import type { TestVendor } from './test-license.ts';
import { makeTempDir } from './temp-dir.ts';

// The API wants its token; postCall finds it by the server's address, so tests read as plain calls.
const tokens = new Map<string, string>();

/** Lets postCall (and authHeader) speak for `server`; startTestHost does it for its own. */
export function rememberToken(server: RunningServer): RunningServer {
  tokens.set(server.url, server.accessToken.token);
  return server;
}

/** `{ authorization: 'Bearer …' }` for a server started here, for tests that fetch or open sockets themselves. */
export function authHeader(baseUrl: string): Record<string, string> {
  const token = tokens.get(baseUrl);
  if (!token) throw new Error(`no token remembered for ${baseUrl}: call rememberToken(server) first`);
  return { authorization: `Bearer ${token}` };
}

/**
 * A real core behind a real headless server on a free loopback port, for one test file. It trusts
 * a fresh test vendor key and, unless `licensed: false`, has a valid licence installed.
 */
export async function startTestHost(options: { licensed?: boolean } = {}): Promise<{
  app: App;
  server: RunningServer;
  vendor: TestVendor;
  /** The API token (bearer) of this server. */
  token: string;
  stop: () => Promise<void>;
}> {
  const temp = makeTempDir();
  const { app, vendor } = await createLicensedTestApp({
    dataDir: temp.dir,
    licensed: options.licensed ?? true,
  });
  const server = rememberToken(await startServer({ app, port: 0 }));
  return {
    app,
    server,
    vendor,
    token: server.accessToken.token,
    stop: async () => {
      tokens.delete(server.url);
      await server.close();
      app.close();
      temp.cleanup();
    },
  };
}

/** POSTs a call with the server's bearer token, unless `headers` brings its own authorization. */
export async function postCall(
  baseUrl: string,
  name: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const token = tokens.get(baseUrl);
  const response = await fetch(`${baseUrl}/api/call/${name}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      ok: boolean;
      value?: unknown;
      error?: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
    },
  };
}

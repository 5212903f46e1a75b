import type { App } from '../../core/app/app.ts';
import { startServer, type RunningServer } from '../../core/server/server.ts';
import { createLicensedTestApp } from './licensed-app.ts';
import type { TestVendor } from './test-license.ts';
import { makeTempDir } from './temp-dir.ts';

/**
 * A real core behind a real headless server on a free loopback port, for one test file. It trusts
 * a fresh test vendor key and, unless `licensed: false`, has a valid licence installed.
 */
export async function startTestHost(options: { licensed?: boolean } = {}): Promise<{
  app: App;
  server: RunningServer;
  vendor: TestVendor;
  stop: () => Promise<void>;
}> {
  const temp = makeTempDir();
  const { app, vendor } = await createLicensedTestApp({
    dataDir: temp.dir,
    licensed: options.licensed ?? true,
  });
  const server = await startServer({ app, port: 0 });
  return {
    app,
    server,
    vendor,
    stop: async () => {
      await server.close();
      app.close();
      temp.cleanup();
    },
  };
}

export async function postCall(
  baseUrl: string,
  name: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${baseUrl}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
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

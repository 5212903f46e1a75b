import { createApp, type App } from '../../core/app/app.ts';
import { startServer, type RunningServer } from '../../core/server/server.ts';
import { MemorySecretStore } from './memory-secret-store.ts';
import { makeTempDir } from './temp-dir.ts';

/** A real core behind a real headless server on a free loopback port, for one test file. */
export async function startTestHost(): Promise<{
  app: App;
  server: RunningServer;
  stop: () => Promise<void>;
}> {
  const temp = makeTempDir();
  const app = createApp({
    dataDir: temp.dir,
    host: 'test',
    secretStore: new MemorySecretStore(),
    checkOutputs: true,
    log: () => {},
  });
  const server = await startServer({ app, port: 0 });
  return {
    app,
    server,
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

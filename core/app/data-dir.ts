import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where AUTOBOT keeps its database when no --data-dir is given: the same folder Electron's
 * app.getPath('userData') resolves to for this app, so the desktop app and `autobot serve` on one
 * machine share their data.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.AUTOBOT_DATA_DIR) return env.AUTOBOT_DATA_DIR;
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(homedir(), 'AppData', 'Roaming'), 'AUTOBOT');
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', 'AUTOBOT');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(homedir(), '.config'), 'AUTOBOT');
}

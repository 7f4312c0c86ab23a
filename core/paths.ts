// Where the store lives by default: the same folder Electron's app.getPath('userData') gives AgencyDesk,
// so the desktop app, `npm run web` and the CLI all open the same store.
import os from 'node:os';
import path from 'node:path';

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'AgencyDesk');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'AgencyDesk');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'AgencyDesk');
}

export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AGENCYDESK_STORE ? path.resolve(env.AGENCYDESK_STORE) : path.join(userDataDir(env), 'store');
}

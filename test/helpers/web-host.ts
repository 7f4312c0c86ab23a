// Starts the built web host (dist/web/server.mjs) on a store folder and any free port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface WebHost {
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export const SERVER = path.resolve('dist/web/server.mjs');

export async function startWebHost(storeDir: string, extraEnv: Record<string, string> = {}): Promise<WebHost> {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first (npm test does).`);
  const child = spawn(process.execPath, [SERVER, '--store', storeDir, '--port', '0'], {
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${stderr}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /AgencyDesk web: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`web host exited (${code}): ${stderr}`)));
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: new URLSearchParams(u.hash.slice(1)).get('token')!,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

// Starts the built web host (dist/web/server.mjs) on a fresh store and a free port, for browser journeys.
// Builds nothing: run `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/contract/registry.js';
import type { Envelope } from '../../../shared/contract/envelope.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SERVER_ENTRY = path.join(REPO_ROOT, 'dist/web/server.mjs');
export const RENDERER_ENTRY = path.join(REPO_ROOT, 'dist/renderer/index.html');

export interface WebHost {
  /** The launch URL including `#token=…`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly token: string;
  readonly storeDir: string;
  /** Everything the host wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** Stops the host (SIGTERM, then SIGKILL) and removes the store if the helper created it. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Reuse a store folder (kept on stop); by default a fresh temp folder is made and removed. */
  storeDir?: string;
  /** How long to wait for the launch line. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export function assertBuilt(): void {
  for (const f of [SERVER_ENTRY, RENDERER_ENTRY]) {
    if (!existsSync(f)) throw new Error(`${path.relative(REPO_ROOT, f)} is missing: run \`npm run build\` before the e2e tests.`);
  }
}

const LAUNCH_LINE = /AgencyDesk web: (http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+))/;

export async function startWebHost(opts: StartOptions = {}): Promise<WebHost> {
  assertBuilt();
  const ownStore = opts.storeDir === undefined;
  const storeDir = opts.storeDir ?? mkdtempSync(path.join(tmpdir(), 'agencydesk-e2e-'));
  const child = spawn(process.execPath, [SERVER_ENTRY, '--store', storeDir, '--port', '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (log += d));

  const cleanupStore = () => {
    if (ownStore) rmSync(storeDir, { recursive: true, force: true });
  };

  let match: RegExpMatchArray;
  try {
    match = await new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`web host did not print its URL within ${opts.timeoutMs ?? 30_000} ms:\n${log}`)), opts.timeoutMs ?? 30_000);
      const onData = (d: string) => {
        log += d;
        const m = LAUNCH_LINE.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        }
      };
      child.stdout.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`web host exited early (code ${code}, signal ${signal}):\n${log}`));
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  } catch (e) {
    await kill(child);
    cleanupStore();
    throw e;
  }

  const [, url, port, token] = match as unknown as [string, string, string, string];
  return {
    url,
    origin: `http://127.0.0.1:${port}`,
    token,
    storeDir,
    output: () => log,
    async stop() {
      await kill(child);
      cleanupStore();
    },
  };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Calls the API of a running host directly (as the page does), for seeding data faster than the UI.
 * Throws with the error code and message on `{ok:false}`.
 */
export async function callApi<M extends MethodName>(host: WebHost, method: M, input: MethodInput<M>, session?: string): Promise<MethodOutput<M>> {
  const res = await fetch(`${host.origin}/api/call`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-AgencyDesk-Token': host.token },
    body: JSON.stringify(session ? { method, input, session } : { method, input }),
  });
  const envelope = (await res.json()) as Envelope<MethodOutput<M>>;
  if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

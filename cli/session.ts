// A CLI run: open the backend on the store, log in, call methods with the same validation and permissions
// as the UI, and always log out and release the store.
import { createBackend, type Backend } from '../core/backend.js';
import type { MethodInput, MethodName, MethodOutput } from '../shared/contract/registry.js';
import type { ApiError } from '../shared/contract/envelope.js';
import type { FileRef } from '../shared/contract/placements.js';
import type { UploadPurpose } from '../shared/contract/uploads.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promptSecret } from './prompt.js';
import { remoteDispatcher, type Dispatcher } from './remote.js';

/** Set by `--server URL --fingerprint FP`: every command of this run goes to that team server. */
let remoteTarget: { server: string; fingerprint: string | undefined } | null = null;
export function useRemoteServer(target: { server: string; fingerprint: string | undefined } | null): void {
  remoteTarget = target;
}
export const isRemote = (): boolean => remoteTarget !== null;

export class CliError extends Error {
  constructor(readonly error: ApiError) {
    super(`${error.code}: ${error.message}`);
  }
}

export class CliSession {
  private token: string | undefined;
  private constructor(readonly backend: Pick<Backend, 'dispatch' | 'close'> | Dispatcher) {}

  /** The local store, or the team server named by --server. */
  static open(storeDir: string): CliSession {
    if (remoteTarget) return new CliSession(remoteDispatcher(remoteTarget.server, remoteTarget.fingerprint));
    // AGENCYDESK_ANCHOR_DIR: where a copy of the audit anchor is kept outside the store (core/audit/anchor-outside.ts).
    return new CliSession(createBackend({ storeDir, host: 'cli', sweepEveryMs: 0, anchorDir: process.env.AGENCYDESK_ANCHOR_DIR || null }));
  }

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    return (await this.callRaw(method, input)) as MethodOutput<M>;
  }

  /** For `agencydesk call`: any method name, any JSON; core validates. */
  async callRaw(method: string, input: unknown): Promise<unknown> {
    // BUSY (a long writer holds the store; nothing was saved): the same call again after the pause, for up to ~1 min.
    for (let attempt = 0; ; attempt++) {
      const env = await this.backend.dispatch(method, input, { session: this.token });
      if (env.ok) return env.value;
      if (env.error.code !== 'BUSY' || attempt >= 30) throw new CliError(env.error);
      await new Promise((r) => setTimeout(r, Math.min(10, env.error.retryAfterSeconds ?? 1) * 1000));
    }
  }

  /**
   * The file for a call that reads one: its path on a local store; on a team server it is uploaded first (the
   * server reads uploads only, never a path on its own disk).
   */
  async fileRef(file: string, purpose: UploadPurpose): Promise<FileRef> {
    if (!('upload' in this.backend)) return { path: path.resolve(file) };
    if (!existsSync(file)) throw new CliError({ code: 'BAD_INPUT', message: `No such file: ${file}` });
    const env = await this.backend.upload(path.resolve(file), purpose, this.token);
    if (!env.ok) throw new CliError(env.error);
    return { uploadId: env.value.uploadId, name: path.basename(file) };
  }

  useSession(token: string): void {
    this.token = token;
  }

  async login(env: NodeJS.ProcessEnv): Promise<void> {
    const username = env.AGENCYDESK_USER ?? 'admin';
    const password = env.AGENCYDESK_PASSWORD ?? (await promptSecret(`Password for ${username}: `));
    const s = await this.call('auth.login', { username, password });
    this.token = s.token;
  }

  async close(): Promise<void> {
    if (this.token) await this.backend.dispatch('auth.logout', {}, { session: this.token }).catch(() => undefined);
    this.backend.close();
  }
}

export async function newPassword(env: NodeJS.ProcessEnv, who: string): Promise<string> {
  if (env.AGENCYDESK_NEW_PASSWORD) return env.AGENCYDESK_NEW_PASSWORD;
  const a = await promptSecret(`New password for ${who}: `);
  const b = await promptSecret('Repeat it: ');
  if (a !== b) throw new CliError({ code: 'BAD_INPUT', message: 'The two passwords differ.' });
  return a;
}

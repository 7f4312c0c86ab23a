// A real backend on a fresh temporary store folder (encryption cannot be set on :memory: databases).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend, type BackendOptions } from '../../core/backend.js';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/registry.js';
import type { ApiError } from '../../shared/contract/envelope.js';
import { findRecoverySlot, openRecoverySlot, readSlotFile } from '../../db/keyslots.js';
import { parseRecoveryKey } from '../../shared/domain/recovery-key.js';
import { storeFiles } from '../../db/paths.js';
import { openEncrypted } from '../../db/open.js';
import { collectorCasesDrift } from '../../db/repos/collector-cases.js';

export const ADMIN_PASSWORD = 'admin password 1';

export function tempDir(prefix = 'agencydesk-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export class Client {
  constructor(
    readonly backend: Backend,
    public token?: string,
  ) {}
  /** Like every real client: BUSY (a worker holds the write lock; nothing was saved) is sent again. */
  private async send(method: string, input: unknown) {
    let env = await this.backend.dispatch(method, input, { session: this.token });
    for (let i = 0; !env.ok && env.error.code === 'BUSY' && i < 60; i++) {
      await new Promise((r) => setTimeout(r, 500));
      env = await this.backend.dispatch(method, input, { session: this.token });
    }
    return env;
  }
  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const env = await this.send(method, input);
    if (!env.ok) throw Object.assign(new Error(`${env.error.code}: ${env.error.message}`), { api: env.error });
    return env.value as MethodOutput<M>;
  }
  /** The error a call fails with, after BUSY retries as a real client makes them (the test fails if it succeeds). */
  async error(method: string, input: unknown): Promise<ApiError> {
    const env = await this.send(method, input);
    if (env.ok) throw new Error(`${method} unexpectedly succeeded`);
    return env.error;
  }
  as(token: string): Client {
    return new Client(this.backend, token);
  }
}

export interface TestStore {
  dir: string;
  backend: Backend;
  admin: Client;
  recoveryKey: string;
  close(): void;
}

export async function makeStore(opts: Partial<BackendOptions> = {}): Promise<TestStore> {
  const dir = opts.storeDir ?? tempDir();
  const backend = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 0, ...opts });
  const anon = new Client(backend);
  const r = await anon.call('system.setup', {
    agencyName: '华信催收服务有限公司',
    admin: { username: 'admin', displayName: '管理员', password: ADMIN_PASSWORD },
  });
  return {
    dir,
    backend,
    admin: anon.as(r.session.token),
    recoveryKey: r.recoveryKey,
    close: () => {
      backend.close();
      expectCollectorCasesSound(dir, r.recoveryKey);
    },
  };
}

/**
 * Every test store, when its test closes it: collector_cases (migration 025, kept by triggers) must still be the
 * copy of case_assignments and cases, whatever the test did through the services. A store that cannot be opened
 * any more (removed, re-keyed, damaged on purpose) is not checked here.
 */
export function expectCollectorCasesSound(dir: string, recoveryKey: string): void {
  let db: ReturnType<typeof rawOpen> | undefined;
  try {
    db = rawOpen(dir, recoveryKey);
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'collector_cases'").get()) return;
  } catch {
    db?.close();
    return;
  }
  try {
    const drift = collectorCasesDrift(db);
    if (drift !== 0) throw new Error(`collector_cases differs from case_assignments and cases in ${drift} rows (store ${dir})`);
  } finally {
    db.close();
  }
}

export async function login(backend: Backend, username: string, password: string): Promise<Client> {
  const s = await new Client(backend).call('auth.login', { username, password });
  return new Client(backend, s.token);
}

/** The raw master key, recovered the way an administrator would (for tests that inspect the file). */
export function masterKeyOf(dir: string, recoveryKey: string): Buffer {
  const slots = readSlotFile(storeFiles(dir).slots)!;
  const key = openRecoverySlot(slots.storeId, findRecoverySlot(slots)!, parseRecoveryKey(recoveryKey)!);
  if (!key) throw new Error('recovery key does not open the store');
  return key;
}

/** Opens the store file directly (no backend), e.g. to tamper with it as an attacker holding the key would. */
export function rawOpen(dir: string, recoveryKey: string) {
  return openEncrypted(storeFiles(dir).db, masterKeyOf(dir, recoveryKey), { migrate: false });
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

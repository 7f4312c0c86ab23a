// Foundation figures: unlock cost, audit-log write and verify rates, API call latency in-process and over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend } from '../core/backend.js';
import { openEncrypted } from '../db/open.js';
import { auditRepo } from '../db/repos/audit.js';
import { storeFiles } from '../db/paths.js';
import { findRecoverySlot, openRecoverySlot, readSlotFile } from '../db/keyslots.js';
import { parseRecoveryKey } from '../shared/domain/recovery-key.js';
import { figure, percentile, timeAsync, time, rssMB } from './report.js';
import { startWebHost } from '../test/helpers/web-host.js';

export async function foundationBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-bench-'));
  try {
    const backend = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 0 });
    const setup = await backend.dispatch('system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'A', password: 'bench password' } });
    if (!setup.ok) throw new Error(setup.error.message);
    const { recoveryKey, session } = setup.value as { recoveryKey: string; session: { token: string } };
    await backend.dispatch('auth.logout', {}, { session: session.token });

    // Unlock = scrypt (N=2^17, r=8) on the slot + open + quick_check.
    const logins: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { value, ms } = await timeAsync(() => backend.dispatch('auth.login', { username: 'admin', password: 'bench password' }));
      logins.push(ms);
      if (value.ok) await backend.dispatch('auth.logout', {}, { session: (value.value as { token: string }).token });
    }
    figure('login (unwrap slot with scrypt + open store), median', logins.sort((a, b) => a - b)[2]!, 'ms');

    const login = await backend.dispatch('auth.login', { username: 'admin', password: 'bench password' });
    const token = (login.ok && (login.value as { token: string }).token) || '';
    const probe = await backend.dispatch('users.list', {}, { session: token });
    if (!probe.ok) throw new Error(`users.list failed: ${probe.error.message}`);
    const lat: number[] = [];
    for (let i = 0; i < 2000; i++) lat.push((await timeAsync(() => backend.dispatch('users.list', {}, { session: token }))).ms);
    lat.sort((a, b) => a - b);
    figure('in-process call users.list, p50', percentile(lat, 50), 'ms');
    figure('in-process call users.list, p99', percentile(lat, 99), 'ms');
    backend.close();

    // Audit log on the encrypted store: one entry per commit (synchronous=FULL), then batched.
    const slots = readSlotFile(storeFiles(dir).slots)!;
    const key = openRecoverySlot(slots.storeId, findRecoverySlot(slots)!, parseRecoveryKey(recoveryKey)!)!;
    const db = openEncrypted(storeFiles(dir).db, Buffer.from(key));
    const audit = auditRepo(db);
    const entry = (i: number) => ({ at: new Date().toISOString(), actorId: 1, actor: 'admin', host: 'bench', action: 'case.view', entity: 'case', entityId: String(i), detail: { i, reason: '核对还款' } });
    const single = time(() => {
      for (let i = 0; i < 500; i++) db.transaction(() => audit.append(entry(i)))();
    });
    figure('audit append, one commit each (fsync)', 500 / (single.ms / 1000), 'entries/s');
    const N = 100_000;
    const batched = time(() => db.transaction(() => {
      for (let i = 0; i < N; i++) audit.append(entry(i));
    })());
    figure(`audit append, ${N} in one transaction`, N / (batched.ms / 1000), 'entries/s');
    const verify = time(() => audit.verify());
    figure(`audit verify over ${verify.value.checked} entries`, verify.ms, 'ms');
    db.close();

    // The same call over the loopback web host.
    const host = await startWebHost(dir);
    try {
      const post = (body: unknown) =>
        fetch(`${host.origin}/api/call`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-AgencyDesk-Token': host.token }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ ok: boolean; value: { token: string } }>);
      const s = await post({ method: 'auth.login', input: { username: 'admin', password: 'bench password' } });
      if (!s.ok) throw new Error('login over HTTP failed');
      const http: number[] = [];
      for (let i = 0; i < 500; i++) http.push((await timeAsync(() => post({ method: 'users.list', input: {}, session: s.value.token }))).ms);
      http.sort((a, b) => a - b);
      figure('HTTP call users.list via web host, p50', percentile(http, 50), 'ms');
      figure('HTTP call users.list via web host, p99', percentile(http, 99), 'ms');
    } finally {
      await host.stop();
    }
    figure('bench process RSS', rssMB(), 'MB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

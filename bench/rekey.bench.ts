// A master-key change on a seeded store (BENCH_REKEY_CASES, default 100,000 cases with payments and contact
// attempts, as the dashboard benchmark seeds them), with another user reading and a collector writing all along:
// how long the change takes, and how long their calls take before and during it. The copy runs in a worker
// (core/rekey-job.ts); reads are answered as usual, writes BUSY at once ("the store key is being changed").
// Run alone: npx tsx bench/rekey.bench.ts (or npm run bench -- rekey).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBackend } from '../core/backend.js';
import { storeFiles } from '../db/paths.js';
import { call, PASSWORD, seededStore } from './seeded-store.js';
import { figure, percentile, rssMB, timeAsync } from './report.js';

const stats = (label: string, ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  figure(`${label} p50`, percentile(s, 50), 'ms');
  figure(`${label} p95`, percentile(s, 95), 'ms');
  figure(`${label} max (${s.length} calls)`, s[s.length - 1] ?? 0, 'ms');
};

export async function rekeyBench(): Promise<void> {
  process.env.BENCH_DASHBOARD_CASES ??= process.env.BENCH_REKEY_CASES ?? '100000';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-rekey-bench-'));
  const storeDir = path.join(dir, 'store');
  try {
    const setup = await seededStore(storeDir, `seeded (BENCH_DASHBOARD_CASES=${process.env.BENCH_DASHBOARD_CASES}, SQL)`);
    // The team server's shape: heavy reads in an offload worker.
    const backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0, heavyWorkers: 1 });
    const admin = (await call(backend, 'auth.login', { username: 'admin', password: PASSWORD })).token as string;
    const zhangId = (await call(backend, 'users.create', { username: 'zhang', displayName: '张', role: 'collector', password: PASSWORD }, admin)).id as number;
    await call(backend, 'users.create', { username: 'li', displayName: '李', role: 'manager', password: PASSWORD }, admin);
    const mine = ((await call(backend, 'cases.list', { sort: 'id', desc: false, limit: 500 }, admin)).rows as { id: number; status: string }[]).filter((r) => r.status === 'open').map((r) => r.id);
    await call(backend, 'assign.manual', { caseIds: mine, collectorId: zhangId }, admin);
    const li = (await call(backend, 'auth.login', { username: 'li', password: PASSWORD })).token as string;
    const zhang = (await call(backend, 'auth.login', { username: 'zhang', password: PASSWORD })).token as string;
    figure('store size (agency.db)', statSync(storeFiles(storeDir).db).size / 2 ** 20, 'MB');

    let n = 0;
    /** One round of another user's calls: a manager's case list, a collector's case list and contact log. */
    const round = async (into: { list: number[]; mine: number[]; write: number[]; busy: number; saved: number }) => {
      let t = await timeAsync(() => backend.dispatch('cases.list', {}, { session: li }));
      if (!t.value.ok) throw new Error(`cases.list: ${t.value.error.message}`);
      into.list.push(t.ms);
      t = await timeAsync(() => backend.dispatch('cases.list', {}, { session: zhang }));
      if (!t.value.ok) throw new Error(`cases.list (collector): ${t.value.error.message}`);
      into.mine.push(t.ms);
      const caseId = mine[n++ % mine.length]!;
      t = await timeAsync(() => backend.dispatch('contacts.log', { caseId, channel: 'sms', outcome: 'no_answer', note: 'bench' }, { session: zhang }));
      into.write.push(t.ms);
      if (t.value.ok) into.saved++;
      else if (t.value.error.code === 'BUSY') into.busy++;
      else if (t.value.error.code === 'COMPLIANCE') return; // a seeded case's guardrail: answered, nothing to save
      else throw new Error(`contacts.log: ${t.value.error.code} ${t.value.error.message}`);
    };
    const before = { list: [] as number[], mine: [] as number[], write: [] as number[], busy: 0, saved: 0 };
    for (let i = 0; i < 30; i++) await round(before);
    stats('idle: manager cases.list', before.list);
    stats('idle: collector cases.list', before.mine);
    stats('idle: collector contacts.log', before.write);

    const during = { list: [] as number[], mine: [] as number[], write: [] as number[], busy: 0, saved: 0 };
    let peak = rssMB();
    const t0 = Date.now();
    const start = await timeAsync(() => call(backend, 'keys.rekey', {}, admin));
    figure('keys.rekey answered (a job id)', start.ms, 'ms');
    const jobId = start.value.jobId as string;
    const phaseAt: Record<string, number> = {};
    let job: Record<string, unknown>;
    for (;;) {
      job = await call(backend, 'keys.rekeyStatus', { jobId }, admin);
      phaseAt[job.phase as string] ??= Date.now() - t0;
      if (job.state !== 'running') break;
      await round(during);
      peak = Math.max(peak, rssMB());
      await new Promise((r) => setTimeout(r, 50));
    }
    if (job.state !== 'done') throw new Error(`rekey failed: ${JSON.stringify(job.error)}`);
    figure('rekey, whole job (start to switched)', (job.seconds as number), 's');
    for (const [p, at] of Object.entries(phaseAt)) figure(`  phase ${p} reached at`, at / 1000, 's');
    stats('during: manager cases.list', during.list);
    stats('during: collector cases.list', during.mine);
    stats('during: collector contacts.log answer', during.write);
    figure('during: contacts.log answered BUSY (retried by clients)', during.busy, 'calls');
    figure('during: contacts.log saved', during.saved, 'calls');
    figure('peak RSS during the rekey (sampled)', peak, 'MB');
    const check = await call(backend, 'system.check', {}, admin);
    if (!(check as { integrityOk: boolean }).integrityOk) throw new Error('system.check failed after the rekey');
    backend.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await rekeyBench();

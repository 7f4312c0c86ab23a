// The team server under an office's load (issue 16): `agencydesk serve` (the built CLI, its own process) on
// a store of BENCH_ROWS cases held by BENCH_COLLECTORS collectors (BENCH_OPEN_PER_COLLECTOR of them open each), seeded by SQL. Each collector is a desk
// over real TLS with the pinned agent and a bearer session, looping Today → open a case → log an attempt →
// list cases at about 1 call/s; one manager uploads and imports a BENCH_IMPORT_ROWS placement file and then
// assigns it, another refreshes the dashboard every 10 s; for BENCH_SECONDS (longer if the import and
// assignment are still running, at most 10 minutes more). Everything stays on the loopback interface.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../core/backend.js';
import { rawOpen } from '../test/helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS, rng } from '../test/helpers/placement-data.js';
import { Desk, type CallRecord } from './server-client.js';
import { figure, percentile } from './report.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const COLLECTORS = Number(process.env.BENCH_COLLECTORS ?? 50);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 200_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 300);
/**
 * Open cases each collector holds (the rest of the store's cases are finished: settled, closed or returned, as
 * a store fills over the years). A collector works a few hundred to a couple of thousand open cases; the
 * default is 2,000. BENCH_OPEN_PER_COLLECTOR=all holds every case open (20,000 each at 1M / 50: a stress
 * figure, far beyond any collector's desk).
 */
const OPEN_PER_COLLECTOR = process.env.BENCH_OPEN_PER_COLLECTOR === 'all' ? Infinity : Number(process.env.BENCH_OPEN_PER_COLLECTOR ?? 2_000);
export const PASSWORD = 'bench password 1';
const DAY = 86_400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call(backend: Backend, method: string, input: unknown, session?: string) {
  const env = await backend.dispatch(method, input, { session });
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value as Record<string, any>;
}

/** Users, lenders and limits through the API (passwords need key slots); cases straight into the store. */
export async function prepareStore(storeDir: string, rows = ROWS, collectorCount = COLLECTORS): Promise<{ collectors: string[]; lenderId: number; importLenderId: number; recoveryKey: string }> {
  const backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
  try {
    const setup = await call(backend, 'system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'Admin', password: PASSWORD } });
    const s = (await call(backend, 'auth.login', { username: 'admin', password: PASSWORD })).token as string;
    const lenderId = (await call(backend, 'lenders.create', { code: 'HELD', name: '在催' }, s)).id as number;
    const importLenderId = (await call(backend, 'lenders.create', { code: 'NEW', name: '新委案' }, s)).id as number;
    // Quiet hours an hour and more away from now (in UTC), and the daily caps at their maximum: the
    // attempts the desks log at "now" must pass the guardrails, as in an ordinary working hour.
    const h = new Date().getUTCHours();
    const hhmm = (x: number) => `${String(x % 24).padStart(2, '0')}:00`;
    for (const id of [lenderId, importLenderId]) {
      await call(backend, 'compliance.setLimits', { lenderId: id, limits: { quietFrom: hhmm(h + 2), quietUntil: hhmm(h + 3), timeZone: 'UTC', maxConnectedCallsPerDay: 50, maxUnansweredPerNumberPerDay: 50 } }, s);
    }
    for (const m of ['mgr1', 'mgr2']) await call(backend, 'users.create', { username: m, displayName: `经理${m.slice(-1)}`, role: 'manager', password: PASSWORD }, s);
    const collectors: string[] = [];
    for (let i = 1; i <= collectorCount; i++) {
      const username = `c${String(i).padStart(3, '0')}`;
      await call(backend, 'users.create', { username, displayName: `催收员${i}`, role: 'collector', password: PASSWORD }, s);
      collectors.push(username);
    }
    const seeded = performance.now();
    const recoveryKey = setup.recoveryKey as string;
    backend.close();
    const open = seedCases(storeDir, recoveryKey, lenderId, rows, Math.min(rows, OPEN_PER_COLLECTOR * collectorCount));
    figure(`seeded ${rows.toLocaleString('en')} held cases, ${open.toLocaleString('en')} of them open (direct SQL)`, (performance.now() - seeded) / 1000, 's');
    return { collectors, lenderId, importLenderId, recoveryKey };
  } catch (e) {
    backend.close();
    throw e;
  }
}

/** Seeds `rows` held cases, the first `open` of them open and the rest finished; answers `open`. */
function seedCases(storeDir: string, recoveryKey: string, lenderId: number, rows: number, open: number): number {
  const db = rawOpen(storeDir, recoveryKey);
  try {
    const r = rng(16);
    const now = new Date().toISOString();
    const yesterday = new Date(Date.now() - DAY).toISOString();
    db.pragma('cache_size = -262144');
    db.transaction(() => {
      const collectorIds = (db.prepare("SELECT id FROM users WHERE role = 'collector' ORDER BY id").all() as { id: number }[]).map((u) => u.id);
      // Room for the import's cases on top of what each holds: capacity must not be what fails the assignment.
      const profile = db.prepare('INSERT OR REPLACE INTO collector_profiles (user_id, capacity, updated_at) VALUES (?, ?, ?)');
      for (const id of collectorIds) profile.run(id, Math.ceil(((rows + IMPORT_ROWS) / collectorIds.length) * 1.5), now);
      const batch = Number(
        db
          .prepare(
            `INSERT INTO batches (lender_id, batch_no, placement_date, source_name, source_sha256, source_bytes, source_format, mapping,
               rows_total, rows_imported, rows_updated, rows_rejected, amount_fen, imported_at, imported_by)
             VALUES (?, 'HELD-1', ?, 'seed', 'seed', 0, 'csv', '{}', ?, ?, 0, 0, 0, ?, 1)`,
          )
          .run(lenderId, yesterday.slice(0, 10), rows, rows, yesterday).lastInsertRowid,
      );
      const assignment = Number(db.prepare("INSERT INTO assignments (at, actor_id, kind, rule, assigned, unassignable, detail) VALUES (?, 1, 'manual', 'manual', 0, 0, '{}')").run(yesterday).lastInsertRowid);
      const ins = db.prepare(
        `INSERT INTO case_rows (lender_id, case_no, batch_id, first_batch_id, borrower_name, id_number, mobile, overdue_amount_fen, days_overdue, bucket, created_at, updated_at, stage, status)
         VALUES (?, ?, ?, ?, '张三', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const hold = db.prepare('INSERT INTO case_assignments (case_id, collector_id, assignment_id, assigned_at) VALUES (?, ?, ?, ?)');
      const buckets: [string, number][] = [['M1', 15], ['M2', 45], ['M3', 75], ['M3+', 150]];
      for (let i = 0; i < rows; i++) {
        const [bucket, days] = buckets[Math.floor(r() * buckets.length)]!;
        const id = Number(
          ins.run(lenderId, `HELD${i}`, batch, batch, `11010519900101${String(i).padStart(4, '0')}`, `139${String(i).padStart(8, '0')}`, 100_000 + Math.floor(r() * 4_900_000), days, bucket, yesterday, yesterday, ...(i < open ? ['new', 'open'] : [FINISHED[i % 3]!, FINISHED[i % 3]!])).lastInsertRowid,
        );
        hold.run(id, collectorIds[i % collectorIds.length]!, assignment, yesterday);
      }
    })();
    db.exec('ANALYZE');
    return open;
  } finally {
    db.close();
  }
}
const FINISHED = ['settled', 'closed', 'returned'] as const;

export async function writePlacement(file: string, rows: number, caseNoPrefix = 'NEW'): Promise<void> {
  const out = createWriteStream(file);
  out.write(toCsv([PLACEMENT_HEADERS]));
  const all = makeRows(rows, 99, { caseNoPrefix });
  for (let i = 0; i < all.length; i += 10_000) if (!out.write(toCsv(all.slice(i, i + 10_000)))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** `agencydesk serve` on 127.0.0.1, unlocked from the environment; answers its URL and fingerprint. */
export async function startServer(storeDir: string): Promise<{ child: ChildProcess; url: string; fingerprint: string }> {
  const child = spawn(process.execPath, ['bin/agencydesk.mjs', 'serve', '--store', storeDir, '--listen', '127.0.0.1:0', '--json'], {
    env: { ...process.env, AGENCYDESK_USER: 'admin', AGENCYDESK_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 120_000;
  while (!(out.includes('\n') && err.includes('unlocked by'))) {
    if (child.exitCode !== null || err.includes('could not unlock') || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`serve did not start: ${out} ${err}`);
    }
    await sleep(100);
  }
  const { url, fingerprint } = JSON.parse(out.split('\n')[0]!) as { url: string; fingerprint: string };
  return { child, url, fingerprint };
}

/** The server's CPU seconds so far (user + system, all its threads), from /proc/<pid>/stat. */
const cpuSeconds = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
};
/** The server's main thread (where every call runs): ns on a CPU and ns runnable but waiting for one. */
const mainThreadSched = (pid: number) => {
  const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ').map(Number);
  return { run: run!, wait: wait! };
};
export const vmHwmMB = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

function latencies(label: string, recs: CallRecord[]): void {
  const ms = recs.map((r) => r.end - r.start).sort((a, b) => a - b);
  if (!ms.length) return console.log(`${label.padEnd(52)} (no calls)`);
  console.log(
    `${label.padEnd(52)} n=${String(ms.length).padStart(6)}  p50 ${percentile(ms, 50).toFixed(0)}  p95 ${percentile(ms, 95).toFixed(0)}  p99 ${percentile(ms, 99).toFixed(0)}  max ${ms.at(-1)!.toFixed(0)} ms`,
  );
}

export async function serverBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-server-bench-'));
  const storeDir = path.join(dir, 'store');
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  const desks: Desk[] = [];
  try {
    const { collectors, importLenderId } = await prepareStore(storeDir);
    const csv = path.join(dir, 'placement.csv');
    await writePlacement(csv, IMPORT_ROWS);
    server = await startServer(storeDir);
    const t0 = performance.now();
    const now = () => performance.now() - t0;
    // One loopback address per desk (127.0.0.3 …): Linux answers the whole 127/8 on lo.
    const desk = (n: number) => {
      const d = new Desk(server!.url, server!.fingerprint, `127.0.${Math.floor((n + 2) / 250)}.${((n + 2) % 250) + 1}`, t0);
      desks.push(d);
      return d;
    };
    const importer = desk(0);
    const watcher = desk(1);
    const staff = collectors.map((_, i) => desk(i + 2));
    // Logins two at a time (the server derives at most 2 keys at once): not part of the measurement.
    await importer.login('mgr1', PASSWORD);
    await watcher.login('mgr2', PASSWORD);
    for (let i = 0; i < staff.length; i += 2) await Promise.all(staff.slice(i, i + 2).map((d, j) => d.login(collectors[i + j]!, PASSWORD)));

    const collectorCalls: CallRecord[] = [];
    const managerCalls: CallRecord[] = [];
    const acknowledged = new Map<Desk, Map<number, number[]>>();
    const windows: Record<string, [number, number]> = {};
    let managersDone = false;

    const ackOf = (d: Desk) => acknowledged.get(d) ?? acknowledged.set(d, new Map()).get(d)!;
    // Before the load: what each call costs alone (one desk, one call at a time, 10 rounds).
    const alone: CallRecord[] = [];
    for (let k = 0; k < 10; k++) {
      const d = staff[0]!;
      const q = await d.call('queue.today', { limit: 50 });
      const caseId = (q.value.items as { caseId: number }[])[k]!.caseId;
      const c = await d.call('cases.get', { id: caseId });
      const log = await d.call('contacts.log', { caseId, channel: 'phone', outcome: 'no_answer', note: 'alone' });
      if (log.rec.ok) ackOf(d).set(caseId, [...(ackOf(d).get(caseId) ?? []), (log.value as { id: number }).id]);
      const list = await d.call('cases.list', { limit: 50 });
      alone.push(q.rec, c.rec, log.rec, list.rec);
    }
    const today0 = new Date().toISOString().slice(0, 10);
    for (let k = 0; k < 2; k++) alone.push((await watcher.call('dashboard.get', { from: new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10), to: today0 })).rec);
    const cpuAtStart = cpuSeconds(server.child.pid!);
    const schedAtStart = mainThreadSched(server.child.pid!);
    const benchCpuAtStart = process.cpuUsage();
    const loadAtStart = os.loadavg()[0]!;
    const start = now();
    // The load runs for SECONDS, and on while the import and assignment still run (at most 10 minutes more).
    const running = () => now() - start < SECONDS * 1000 || (!managersDone && now() - start < (SECONDS + 600) * 1000);

    const collectorLoop = async (d: Desk, n: number) => {
      const mine = ackOf(d);
      const used = new Set<number>();
      let page: number[] = [];
      await sleep((n * 4000) / staff.length); // spread the desks over the loop's 4 s
      for (let k = 0; running(); k++) {
        const loopStart = now();
        const q = await d.call('queue.today', { limit: 50 });
        collectorCalls.push(q.rec);
        const ids = [...((q.value?.items ?? []) as { caseId: number }[]).map((x) => x.caseId), ...page];
        const caseId = ids.find((id) => !used.has(id)) ?? ids[0];
        if (caseId !== undefined) {
          used.add(caseId);
          await sleep(Math.max(0, loopStart + 1000 - now()));
          const c = await d.call('cases.get', { id: caseId });
          collectorCalls.push(c.rec);
          await sleep(Math.max(0, loopStart + 2000 - now()));
          const log = await d.call('contacts.log', { caseId, channel: 'phone', outcome: k % 3 === 0 ? 'connected' : 'no_answer', durationSec: k % 3 === 0 ? 60 : 0, note: `bench ${k}` });
          collectorCalls.push(log.rec);
          if (log.rec.ok) mine.set(caseId, [...(mine.get(caseId) ?? []), (log.value as { id: number }).id]);
        }
        await sleep(Math.max(0, loopStart + 3000 - now()));
        const list = await d.call('cases.list', { limit: 50, offset: (k * 50) % 5000 });
        collectorCalls.push(list.rec);
        page = ((list.value?.rows ?? []) as { id: number }[]).map((x) => x.id);
        await sleep(Math.max(0, loopStart + 4000 - now()));
      }
    };

    const importAndAssign = async () => {
      try {
        windows.upload = [now(), 0];
        const uploadId = await importer.upload(csv);
        windows.upload[1] = now();
        windows.import = [now(), 0];
        const started = await importer.call('import.start', { lenderId: importLenderId, file: { uploadId, name: 'placement.csv' } });
        managerCalls.push(started.rec);
        if (!started.rec.ok) throw new Error(`import.start: ${started.rec.code}`);
        for (let polls = 0; ; polls++) {
          if (polls > 6000) throw new Error('import did not finish within 10 minutes');
          await sleep(100);
          const st = await importer.call('import.status', { jobId: started.value.jobId });
          managerCalls.push(st.rec);
          if (st.value?.state !== 'running') {
            windows.import[1] = now();
            if (st.value?.state !== 'done') throw new Error(`import ${st.value?.state}: ${st.value?.error?.message ?? st.rec.code}`);
            break;
          }
        }
        windows.assign = [now(), 0];
        const applied = await importer.call('assign.apply', { selection: { lenderId: importLenderId, unassignedOnly: true }, rule: 'balanced' });
        windows.assign[1] = now();
        managerCalls.push(applied.rec);
        if (!applied.rec.ok) throw new Error(`assign.apply: ${applied.rec.code}`);
        figure(`  assign.apply: ${applied.value.assigned.toLocaleString('en')} cases → ${COLLECTORS} collectors`, (windows.assign[1] - windows.assign[0]) / 1000, 's');
      } finally {
        managersDone = true;
      }
    };

    const dashboardLoop = async () => {
      const today = new Date().toISOString().slice(0, 10);
      const from = new Date(Date.now() - 30 * DAY).toISOString().slice(0, 10);
      while (running()) {
        const t = now();
        const r = await watcher.call('dashboard.get', { from, to: today });
        managerCalls.push(r.rec);
        await sleep(Math.max(0, t + 10_000 - now()));
      }
    };

    let managerError: unknown;
    await Promise.all([...staff.map((d, n) => collectorLoop(d, n)), importAndAssign().catch((e) => (managerError = e)), dashboardLoop()]);
    const elapsed = (now() - start) / 1000;
    const peakMB = vmHwmMB(server.child.pid!);
    const serverCpu = cpuSeconds(server.child.pid!) - cpuAtStart;
    const sched = mainThreadSched(server.child.pid!);
    const benchCpu = process.cpuUsage(benchCpuAtStart);
    const loadAtEnd = os.loadavg()[0]!;

    // Every attempt a desk was told was saved must be in the store: each desk reads its own cases' logs.
    let acked = 0;
    let lost = 0;
    await Promise.all(
      [...acknowledged].map(async ([d, mine]) => {
        for (const [caseId, ids] of mine) {
          acked += ids.length;
          const r = await d.call('contacts.list', { caseId });
          const there = new Set(((r.value?.attempts ?? []) as { id: number }[]).map((a) => a.id));
          lost += ids.filter((id) => !there.has(id)).length;
        }
      }),
    );

    const inWindow = (w: [number, number] | undefined) => (w ? collectorCalls.filter((c) => c.end >= w[0] && c.start <= w[1]) : []);
    console.log(`server bench: ${ROWS.toLocaleString('en')} held cases, ${COLLECTORS} collectors, import of ${IMPORT_ROWS.toLocaleString('en')} rows, ${elapsed.toFixed(0)} s`);
    if (windows.upload) figure('  upload of the placement file', (windows.upload[1] - windows.upload[0]) / 1000, 's');
    if (windows.import?.[1]) figure('  import.start → done', (windows.import[1] - windows.import[0]) / 1000, 's');
    if (managerError) console.log(`  managers' import/assign FAILED: ${(managerError as Error).message}`);
    for (const m of ['queue.today', 'cases.get', 'contacts.log', 'cases.list', 'dashboard.get']) latencies(`alone, before the load: ${m}`, alone.filter((c) => c.method === m));
    latencies("collectors' calls, all", collectorCalls);
    latencies("collectors' calls during the import", inWindow(windows.import));
    latencies("collectors' calls during assign.apply", inWindow(windows.assign));
    for (const m of ['queue.today', 'cases.get', 'contacts.log', 'cases.list']) latencies(`  ${m}`, collectorCalls.filter((c) => c.method === m));
    latencies('dashboard.get (manager)', managerCalls.filter((c) => c.method === 'dashboard.get'));
    latencies('import.status polls (manager)', managerCalls.filter((c) => c.method === 'import.status'));
    // Where the tail is: the slowest calls, when they started (s into the load) and what ran meanwhile.
    const during = (c: CallRecord) => Object.entries(windows).filter(([, w]) => c.end >= w[0] && c.start <= (w[1] || Infinity)).map(([k]) => k).join('+') || '-';
    console.log(
      `slowest collectors' calls: ${[...collectorCalls]
        .sort((a, b) => b.end - b.start - (a.end - a.start))
        .slice(0, 12)
        .map((c) => `${c.method} ${((c.end - c.start) / 1000).toFixed(1)} s at ${((c.start - start) / 1000).toFixed(0)} s (${during(c)}${c.retries ? `, ${c.retries} BUSY` : ''})`)
        .join('; ')}`,
    );
    for (const [k, w] of Object.entries(windows)) console.log(`  window ${k}: ${((w[0] - start) / 1000).toFixed(0)}–${((w[1] - start) / 1000).toFixed(0)} s`);
    figure("collectors' calls per second", collectorCalls.length / elapsed, 'calls/s');
    const errors = new Map<string, number>();
    for (const c of [...collectorCalls, ...managerCalls]) if (!c.ok) errors.set(`${c.method} ${c.code}`, (errors.get(`${c.method} ${c.code}`) ?? 0) + 1);
    console.log(`errors by code (after BUSY retries): ${errors.size ? [...errors].map(([k, v]) => `${k} ×${v}`).join(', ') : 'none'}`);
    const retried = [...collectorCalls, ...managerCalls].filter((c) => c.retries > 0);
    const logs = collectorCalls.filter((c) => c.method === 'contacts.log');
    const byMethod = new Map<string, [number, number]>();
    for (const c of retried) byMethod.set(c.method, [(byMethod.get(c.method)?.[0] ?? 0) + 1, (byMethod.get(c.method)?.[1] ?? 0) + c.retries]);
    console.log(`BUSY, sent again after retry-after: ${retried.length ? [...byMethod].map(([m, [calls, n]]) => `${m} ${calls} calls / ${n} retries`).join(', ') : 'none'}`);
    console.log(`contacts.log: ${logs.filter((c) => c.ok).length} of ${logs.length} saved in the end`);
    figure('attempts acknowledged / missing from the store afterwards', acked, `/ ${lost} lost`);
    figure('server peak RSS (VmHWM)', peakMB, 'MB');
    figure('server CPU during the load (1.0 = one core busy throughout)', serverCpu / elapsed, 'cores');
    figure("  of which the main thread on a CPU / runnable, waiting for a CPU", ((sched.run - schedAtStart.run) / 1e9 / elapsed) * 100, `% / ${(((sched.wait - schedAtStart.wait) / 1e9 / elapsed) * 100).toFixed(0)} % of the time`);
    figure('this bench process CPU during the load (the desks, TLS)', (benchCpu.user + benchCpu.system) / 1e6 / elapsed, 'cores');
    console.log(`load average (1 min) at the start / end of the load: ${loadAtStart.toFixed(1)} / ${loadAtEnd.toFixed(1)} on ${os.cpus().length} cores`);
  } finally {
    for (const d of desks) d.close();
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await Promise.race([once(server.child, 'exit'), sleep(60_000)]);
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

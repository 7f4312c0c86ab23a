// Placement import of 1,000,000 cases end to end (parse, validate, normalise, insert, index, commit,
// encrypted), against the reference: the sqlite3 shell's .import of the same CSV into a plain table plus
// the same kind of indexes. Then the case list's first page and a phone search over those cases.
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createBackend } from '../core/backend.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../test/helpers/placement-data.js';
import { figure, percentile, rssMB, timeAsync } from './report.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);

async function writePlacement(file: string, rows: number): Promise<string[][]> {
  const out = createWriteStream(file);
  out.write(toCsv([PLACEMENT_HEADERS]));
  let keep: string[][] = [];
  const CHUNK = 50_000;
  for (let done = 0; done < rows; done += CHUNK) {
    const part = makeRows(Math.min(CHUNK, rows - done), 1000 + done, { caseNoPrefix: `B${done / CHUNK}-` });
    if (done === 0) keep = part.slice(0, 100);
    if (!out.write(toCsv(part))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return keep;
}

// The file is generated in a worker thread (this module again), so that the generator's garbage is not
// counted in the RSS of the process whose import is measured.
if (!isMainThread && (workerData as { generate?: unknown } | null)?.generate) {
  const { file, rows } = workerData as { file: string; rows: number };
  parentPort!.postMessage(await writePlacement(file, rows));
}

function generate(file: string, rows: number): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    // Under tsx the worker needs the TypeScript loader registered before it imports this module.
    const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(import.meta.url)});`;
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: { generate: true, file, rows } });
    let sample: string[][] | null = null;
    w.on('message', (m: string[][]) => (sample = m));
    w.on('error', reject);
    w.on('exit', () => (sample ? resolve(sample) : reject(new Error('the generator stopped'))));
  });
}

function settleDisk(): void {
  if (process.platform !== 'win32') execFileSync('sync');
}

function reference(csv: string, dir: string): number {
  const db = path.join(dir, 'reference.db');
  rmSync(db, { force: true });
  const script = [
    '.mode csv',
    `.import '${csv}' cases`,
    'CREATE UNIQUE INDEX r_case ON cases("合同号");',
    'CREATE INDEX r_bucket ON cases("逾期天数", "逾期金额");',
    'CREATE INDEX r_amount ON cases("逾期金额");',
    'CREATE INDEX r_mobile ON cases("手机号码");',
    'CREATE INDEX r_id ON cases("身份证号");',
    'CREATE INDEX r_name ON cases("客户姓名");',
  ].join('\n');
  const t = process.hrtime.bigint();
  execFileSync('sqlite3', [db], { input: script });
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export async function importBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-import-bench-'));
  try {
    const csv = path.join(dir, 'placement.csv');
    const gen = await timeAsync(() => generate(csv, ROWS));
    const sample = gen.value;
    const mb = statSync(csv).size / 1024 / 1024;
    figure(`generated ${ROWS.toLocaleString('en')} rows, ${PLACEMENT_HEADERS.length} columns`, mb, 'MB');

    // Each measurement starts with no writeback pending from the one before (the generated file, then the
    // reference's database): otherwise the kernel flushes hundreds of MB during the next one.
    settleDisk();
    const refBefore = reference(csv, dir);
    settleDisk();
    figure('reference: sqlite3 .import + 6 indexes (plain)', refBefore / 1000, 's');

    const backend = createBackend({ storeDir: path.join(dir, 'store'), host: 'test', sweepEveryMs: 0 });
    const call = async (method: string, input: unknown, session?: string) => {
      const r = await backend.dispatch(method, input, { session });
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as Record<string, any>;
    };
    try {
      const setup = await call('system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'A', password: 'bench password' } });
      const session = setup.session.token as string;
      const lender = await call('lenders.create', { code: 'BENCH', name: 'Bench lender' }, session);
      let peak = rssMB();
      const base = peak;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMB())), 100);
      // Phases as the job reports them (polled every 100 ms): reading (parse + write rows), indexing, committing.
      const phases: { phase: string; at: number }[] = [];
      const t0 = performance.now();
      const run = await timeAsync(async () => {
        const { jobId } = await call('import.start', { lenderId: lender.id, file: { path: csv } }, session);
        for (;;) {
          const job = await call('import.status', { jobId }, session);
          if (phases.at(-1)?.phase !== job.phase) phases.push({ phase: job.phase, at: performance.now() - t0 });
          if (job.state !== 'running') return job;
          await new Promise((r) => setTimeout(r, 100));
        }
      });
      const peakAtDone = peak;
      if (run.value.state !== 'done') throw new Error(`import ${run.value.state}: ${run.value.error?.message}`);
      // The result comes once the batch is committed; the import's worker then copies it from the WAL into
      // the database file (checkpoint) and truncates the WAL: wait for that before measuring anything else.
      const wal = path.join(dir, 'store', 'agency.db-wal');
      const walBytes = () => (existsSync(wal) ? statSync(wal).size : 0);
      const settle = await timeAsync(async () => {
        const deadline = Date.now() + 300_000;
        while (walBytes() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      });
      clearInterval(sampler);
      // The reference again, right after: this machine's speed drifts within minutes, and the import is
      // compared with the mean of the two runs that bracket it.
      settleDisk();
      const refAfter = reference(csv, dir);
      const refMs = (refBefore + refAfter) / 2;
      figure('reference again, after the import', refAfter / 1000, 's');
      figure('AgencyDesk import, end to end (encrypted)', run.ms / 1000, 's');
      for (let i = 0; i < phases.length - 1; i++) figure(`  ${phases[i]!.phase}`, (phases[i + 1]!.at - phases[i]!.at) / 1000, 's');
      figure('AgencyDesk import rate', ROWS / (run.ms / 1000), 'rows/s');
      figure('ratio to the reference (mean of the two runs; target ≤ 2)', run.ms / refMs, '×');
      figure('peak RSS of the process during import', peakAtDone, 'MB');
      figure('  of which the import added', peakAtDone - base, 'MB');
      figure(`then the checkpoint${walBytes() > 0 ? ' (WAL NOT truncated)' : ''}`, settle.ms / 1000, 's');
      figure('  ratio to the reference, checkpoint included', (run.ms + settle.ms) / refMs, '×');
      figure('  peak RSS, checkpoint included', peak, 'MB');

      const times = async (input: Record<string, unknown>) => {
        const ms: number[] = [];
        for (let i = 0; i < 21; i++) ms.push((await timeAsync(() => call('cases.list', input, session))).ms);
        return percentile(ms.sort((a, b) => a - b), 50);
      };
      figure('case list: lender + bucket M2, by amount desc, page 1', await times({ lenderId: lender.id, bucket: 'M2', sort: 'outstandingFen', desc: true, limit: 50 }), 'ms');
      figure('case list: all cases, by amount desc, page 1', await times({ sort: 'outstandingFen', desc: true, limit: 50 }), 'ms');
      figure('case list: search by phone', await times({ q: sample[42]![3] }), 'ms');
      figure('case list: search by ID number', await times({ q: sample[7]![2] }), 'ms');
      figure('case list: search by name prefix', await times({ q: sample[9]![1]!.slice(0, 2) }), 'ms');
      figure('store size on disk', statSync(path.join(dir, 'store', 'agency.db')).size / 1024 / 1024, 'MB');
    } finally {
      backend.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

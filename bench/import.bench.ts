// Placement import of 1,000,000 cases end to end (parse, validate, normalise, insert, index, commit,
// encrypted), against the reference: the sqlite3 shell's .import of the same CSV into a plain table plus
// the same kind of indexes. Then the case list's first page and a phone search over those cases.
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
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

function reference(csv: string, dir: string): number {
  const db = path.join(dir, 'reference.db');
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
    const gen = await timeAsync(() => writePlacement(csv, ROWS));
    const sample = gen.value;
    const mb = statSync(csv).size / 1024 / 1024;
    figure(`generated ${ROWS.toLocaleString('en')} rows, ${PLACEMENT_HEADERS.length} columns`, mb, 'MB');

    const refMs = reference(csv, dir);
    figure('reference: sqlite3 .import + 6 indexes (plain)', refMs / 1000, 's');

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
      const run = await timeAsync(async () => {
        const { jobId } = await call('import.start', { lenderId: lender.id, file: { path: csv } }, session);
        for (;;) {
          const job = await call('import.status', { jobId }, session);
          if (job.state !== 'running') return job;
          await new Promise((r) => setTimeout(r, 100));
        }
      });
      clearInterval(sampler);
      if (run.value.state !== 'done') throw new Error(`import ${run.value.state}: ${run.value.error?.message}`);
      figure('AgencyDesk import, end to end (encrypted)', run.ms / 1000, 's');
      figure('AgencyDesk import rate', ROWS / (run.ms / 1000), 'rows/s');
      figure('ratio to the reference (target ≤ 2)', run.ms / refMs, '×');
      figure('peak RSS of the process during import', peak, 'MB');
      figure('  of which the import added', peak - base, 'MB');

      const times = async (input: Record<string, unknown>) => {
        const ms: number[] = [];
        for (let i = 0; i < 21; i++) ms.push((await timeAsync(() => call('cases.list', input, session))).ms);
        return percentile(ms.sort((a, b) => a - b), 50);
      };
      figure('case list: lender + bucket M2, by amount desc, page 1', await times({ lenderId: lender.id, bucket: 'M2', sort: 'overdueAmountFen', desc: true, limit: 50 }), 'ms');
      figure('case list: all cases, by amount desc, page 1', await times({ sort: 'overdueAmountFen', desc: true, limit: 50 }), 'ms');
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

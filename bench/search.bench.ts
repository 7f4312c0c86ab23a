// The search box at scale (`npm run bench -- search`): 1,000,000 cases (random mobiles, ID numbers and two
// contacts each, case numbers ZA2025…) held by 200 collectors, seeded straight into the store. First what
// the import pays for the search table (the INSERT…SELECT over every case and the term index built once,
// as a bulk load does), then each kind of search through the API, as a manager and as a collector,
// median and worst of 20 different queries each, in ms.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../core/backend.js';
import { rawOpen } from '../test/helpers/store.js';
import { rng } from '../test/helpers/placement-data.js';
import { idCheckChar } from '../shared/domain/placement/id-number.js';
import { caseSearchInsert, SEARCH_INDEXES } from '../db/migrations/014_search_calltimes.js';
import { figure, percentile, time } from './report.js';

const CASES = Number(process.env.BENCH_SEARCH_CASES ?? process.env.BENCH_ROWS ?? 1_000_000);
const COLLECTORS = 200;
const PASSWORD = 'bench password 1';

async function call(backend: Backend, method: string, input: unknown, session?: string) {
  const env = await backend.dispatch(method, input, { session });
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value as Record<string, unknown>;
}

interface Sample {
  caseNo: string;
  name: string;
  idNumber: string;
  mobile: string;
  contactPhone: string;
  collector: number;
}

/** Seeds the cases; returns every 50,000th case for the queries, and the seconds the search table took. */
function seed(dir: string, recoveryKey: string, collectorIds: number[]): { samples: Sample[]; insertMs: number; indexMs: number } {
  const db = rawOpen(dir, recoveryKey);
  const r = rng(11);
  const digits = (n: number) => String(Math.floor(r() * 10 ** n)).padStart(n, '0');
  const mobile = () => `1${'3456789'[Math.floor(r() * 7)]}${digits(9)}`;
  const SUR = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
  const GIV = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超';
  const name = () => SUR[Math.floor(r() * SUR.length)]! + GIV[Math.floor(r() * GIV.length)]! + GIV[Math.floor(r() * GIV.length)]!;
  const samples: Sample[] = [];
  try {
    db.pragma('cache_size = -262144');
    const now = new Date().toISOString();
    db.transaction(() => {
      const lender = Number(db.prepare("INSERT INTO lenders (code, name, created_at, updated_at) VALUES ('ZA', '众安', ?, ?)").run(now, now).lastInsertRowid);
      const batch = Number(
        db
          .prepare(
            `INSERT INTO batches (lender_id, batch_no, placement_date, source_name, source_sha256, source_bytes, source_format, mapping,
               rows_total, rows_imported, rows_updated, rows_rejected, amount_fen, imported_at, imported_by) VALUES (?, 'B1', ?, 'seed', 'sha', 0, 'csv', '{}', 0, 0, 0, 0, 0, ?, 1)`,
          )
          .run(lender, now.slice(0, 10), now).lastInsertRowid,
      );
      const assignment = Number(db.prepare("INSERT INTO assignments (at, actor_id, kind, rule, assigned, unassignable, detail) VALUES (?, 1, 'manual', 'manual', 0, 0, '{}')").run(now).lastInsertRowid);
      const ins = db.prepare(
        `INSERT INTO case_rows (lender_id, case_no, batch_id, first_batch_id, borrower_name, id_number, mobile, overdue_amount_fen, days_overdue, contacts, created_at, updated_at)
         VALUES (${lender}, ?, ${batch}, ${batch}, ?, ?, ?, ?, 30, ?, '${now}', '${now}')`,
      );
      const hold = db.prepare(`INSERT INTO case_assignments (case_id, collector_id, assignment_id, assigned_at) VALUES (?, ?, ${assignment}, '${now}')`);
      // As a bulk import does: the term index is built after the rows.
      for (const n of Object.keys(SEARCH_INDEXES)) db.exec(`DROP INDEX ${n}`);
      for (let i = 0; i < CASES; i++) {
        const first17 = `110105${1960 + Math.floor(r() * 45)}0${1 + Math.floor(r() * 9)}1${Math.floor(r() * 9)}${digits(3)}`;
        const s: Sample = { caseNo: `ZA2025${String(i).padStart(8, '0')}`, name: name(), idNumber: first17 + idCheckChar(first17), mobile: mobile(), contactPhone: mobile(), collector: collectorIds[i % COLLECTORS]! };
        const contacts = JSON.stringify([[1, name(), '父亲', s.contactPhone], [2, name(), '同事', mobile()]]);
        const id = Number(ins.run(s.caseNo, s.name, s.idNumber, s.mobile, 100_000 + Math.floor(r() * 4_900_000), contacts).lastInsertRowid);
        hold.run(id, s.collector);
        if (i % 50_000 === 7) samples.push(s);
      }
    })();
    const insert = time(() => db.transaction(() => db.exec(caseSearchInsert('c.batch_id = 1')))());
    const index = time(() => db.transaction(() => db.exec(Object.values(SEARCH_INDEXES).join(';')))());
    db.exec('ANALYZE');
    return { samples, insertMs: insert.ms, indexMs: index.ms };
  } finally {
    db.close();
  }
}

export async function searchBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-search-bench-'));
  const storeDir = path.join(dir, 'store');
  try {
    let backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const { recoveryKey } = (await call(backend, 'system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'Admin', password: PASSWORD } })) as { recoveryKey: string };
    let admin = (await call(backend, 'auth.login', { username: 'admin', password: PASSWORD })).token as string;
    const collectorIds: number[] = [];
    await call(backend, 'users.create', { username: 'm1', displayName: 'M1', role: 'manager', password: PASSWORD }, admin);
    for (let i = 1; i <= COLLECTORS; i++) collectorIds.push((await call(backend, 'users.create', { username: `c${i}`, displayName: `C${i}`, role: 'collector', password: PASSWORD }, admin)).id as number);
    backend.close();
    const t0 = performance.now();
    const { samples, insertMs, indexMs } = seed(storeDir, recoveryKey, collectorIds);
    figure(`seeded ${CASES.toLocaleString('en')} cases, 2 contacts each (direct SQL)`, (performance.now() - t0) / 1000, 's');
    figure('search rows for all cases (one INSERT…SELECT)', insertMs / 1000, 's');
    figure('term index built once (as a bulk import does)', indexMs / 1000, 's');
    backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const manager = (await call(backend, 'auth.login', { username: 'm1', password: PASSWORD })).token as string;
    admin = manager;
    const kinds: [string, (s: Sample) => string][] = [
      ['mobile, last 4 digits (尾号)', (s) => s.mobile.slice(-4)],
      ['mobile, whole', (s) => s.mobile],
      ['ID number, last 6', (s) => s.idNumber.slice(-6)],
      ["contact's phone, whole", (s) => s.contactPhone],
      ["contact's phone, last 4", (s) => s.contactPhone.slice(-4)],
      ['case number prefix, lower case (10 chars)', (s) => s.caseNo.slice(0, 10).toLowerCase()],
      ['case number, whole', (s) => s.caseNo],
      ['name prefix (surname + 1)', (s) => s.name.slice(0, 2)],
    ];
    const tokens = new Map<string, string>();
    for (const who of ['manager', 'collector'] as const) {
      for (const [label, q] of kinds) {
        const ms: number[] = [];
        let hits = 0;
        for (let i = 0; i < 20; i++) {
          const s = samples[i % samples.length]!;
          let token = admin;
          if (who === 'collector') {
            const username = `c${collectorIds.indexOf(s.collector) + 1}`;
            if (!tokens.has(username)) tokens.set(username, (await call(backend, 'auth.login', { username, password: PASSWORD })).token as string);
            token = tokens.get(username)!;
          }
          const t = performance.now();
          const out = await call(backend, 'cases.list', { q: q(s), sort: 'id', limit: 50 }, token);
          ms.push(performance.now() - t);
          hits += out.total as number;
        }
        ms.sort((a, b) => a - b);
        figure(`${who}: ${label}, median / worst (avg ${Math.round(hits / 20)} hits)`, percentile(ms, 50), `ms / ${ms[ms.length - 1]!.toFixed(1)} ms`);
      }
    }
    backend.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

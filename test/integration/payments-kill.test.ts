// kill -9 while payments are posted (issue 17): a child posts single payments and imports lender repayment files
// through the real backend until it is killed at a random moment, ≥ 20 times on the same store. After every kill:
// each payment and file the child acknowledged (printed after the call returned) is there exactly once; a file is
// all or nothing (its rows, their payments, its counts agree); no payment is twice; every touched case's stored
// outstanding is the one balance function's figure (shared/domain/money/balance.ts via core/money/ledger.ts) and
// the sum rule (opening − payments: the lender has no terms, so nothing accrues); integrity, the audit chain and
// the row ↔ entry references hold. At the end system.check and `agencydesk check` pass. KILL_RUNS=N for longer.
import { bundleChild } from '../helpers/bundle-child.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD, makeStore, masterKeyOf, removeDir, tempDir, login, type TestStore } from '../helpers/store.js';
import { openEncrypted } from '../../db/open.js';
import { storeFiles } from '../../db/paths.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { createBackend } from '../../core/backend.js';
import { repos } from '../../db/repos/index.js';
import { auditRepo } from '../../db/repos/audit.js';
import { checkAuditRefs } from '../../db/repos/audit-refs.js';
import { balanceFrom, standing } from '../../core/money/ledger.js';

// The child is bundled once (as dist/ is): under tsx each start took ~5 s on a loaded machine, bundled ~1 s.
// It sits inside the repository so that the native modules resolve from node_modules.
const CHILD_DIR = path.resolve('test-results/payments-kill-child');
const CHILD = path.join(CHILD_DIR, 'pay-child.mjs');
const BIN = path.resolve('bin/agencydesk.mjs');
const KILLS = Number(process.env.KILL_RUNS ?? 20);
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
let s: TestStore;
let dir: string;
let key: Buffer;

interface Acked { payments: Map<string, { id: number; caseId: number; amountFen: number }>; files: Map<number, { posted: number; matched: number; sha256: string }> }

beforeAll(async () => {
  await bundleChild('pay-child', 'test/helpers/pay-child.ts', CHILD_DIR);
  dir = tempDir('agencydesk-pay-kill-');
  mkdirSync(path.join(dir, 'files'));
  s = await makeStore({ storeDir: path.join(dir, 'store') });
  const lender = (await s.admin.call('lenders.create', { code: 'PK', name: '回款银行' })).id;
  const file = path.join(dir, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(300, 41)]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: today });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  s.close();
  key = masterKeyOf(s.dir, s.recoveryKey);
}, 60_000);
afterAll(() => {
  removeDir(dir);
  removeDir(CHILD_DIR);
});

async function runChild(tag: string, killAfterMs: number, acked: Acked): Promise<{ killed: boolean; lines: number }> {
  const child = spawn(process.execPath, [CHILD, s.dir, 'PK', tag, path.join(dir, 'files')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let buf = '';
  let err = '';
  let lines = 0;
  let timer: NodeJS.Timeout | undefined;
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  child.stdout.on('data', (b: Buffer) => {
    buf += b.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const w = line.split(' ');
      if (line === 'started') timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      else if (w[0] === 'P') acked.payments.set(w[4]!, { id: Number(w[1]), caseId: Number(w[2]), amountFen: Number(w[3]) });
      else if (w[0] === 'F') acked.files.set(Number(w[1]), { posted: Number(w[2]), matched: Number(w[3]), sha256: w[4]! });
      lines++;
    }
  });
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  clearTimeout(timer);
  if (child.signalCode !== 'SIGKILL') expect(code, err).toBe(0);
  return { killed: child.signalCode === 'SIGKILL', lines };
}

/** What the store holds after a kill, judged against what was acknowledged. */
function verify(acked: Acked, run: number) {
  const db = openEncrypted(storeFiles(s.dir).db, key, { migrate: false });
  try {
    expect(db.pragma('integrity_check', { simple: true }), `run ${run}`).toBe('ok');
    expect(auditRepo(db).verify().ok, `run ${run}`).toBe(true);
    const refs = checkAuditRefs(db);
    expect(refs.problems, `run ${run}`).toEqual([]);
    // Acknowledged single payments: there, once, as acknowledged. No reference twice.
    const byRef = db.prepare<[string], { id: number; case_id: number; amount_fen: number }>("SELECT id, case_id, amount_fen FROM payments WHERE reference = ? AND source = 'agency'");
    for (const [ref, p] of acked.payments) expect(byRef.all(ref), `run ${run} ${ref}`).toEqual([{ id: p.id, case_id: p.caseId, amount_fen: p.amountFen }]);
    expect(db.prepare('SELECT reference FROM payments GROUP BY reference HAVING count(*) > 1').all(), `run ${run}`).toEqual([]);
    // Files: all or nothing, each acknowledged one there with what was acknowledged.
    const files = db.prepare<[], { id: number; sha256: string; rows_total: number; matched: number; posted: number; rejected: number; lp: number; paid: number }>(
      `SELECT f.id, f.sha256, f.rows_total, f.matched, f.posted, f.rejected,
         (SELECT count(*) FROM lender_payments lp WHERE lp.file_id = f.id) AS lp, (SELECT count(*) FROM payments p WHERE p.file_id = f.id) AS paid
       FROM repayment_files f`,
    ).all();
    for (const f of files) {
      expect({ rows: f.rows_total, lp: f.lp, paid: f.paid }, `run ${run} file ${f.id}`).toEqual({ rows: 20, lp: f.matched + f.posted, paid: f.posted });
      expect(f.rejected, `run ${run} file ${f.id}`).toBe(0);
    }
    for (const [id, f] of acked.files) expect(files.find((x) => x.id === id), `run ${run} file ${id}`).toMatchObject({ posted: f.posted, matched: f.matched, sha256: f.sha256 });
    expect(db.prepare("SELECT count(*) AS n FROM payments WHERE source = 'lender_file' AND file_id NOT IN (SELECT id FROM repayment_files)").get(), `run ${run}`).toEqual({ n: 0 });
    // Balances: the stored outstanding of each touched case is the one balance function's, and the sum rule.
    const r = repos(db);
    const touched = db.prepare<[], { case_id: number }>('SELECT DISTINCT case_id FROM payments').all();
    for (const { case_id } of touched) {
      const c = r.money.moneyCase(case_id)!;
      const payments = r.money.paymentsOf(case_id);
      const b = balanceFrom(c, payments, r.money.plansOf(case_id), today);
      const opening = Object.values(b.opening).reduce((x, y) => x + y, 0);
      const paid = standing(payments).reduce((x, p) => x + p.amount_fen, 0);
      expect({ stored: c.outstanding_fen, sumRule: opening - paid }, `run ${run} case ${case_id}`).toEqual({ stored: b.outstanding, sumRule: b.outstanding });
    }
    return { payments: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM payments').get()!.n, files: files.length };
  } finally {
    db.close();
  }
}

describe('kill -9 while payments are posted', () => {
  it(`keeps every acknowledged payment and file once, whole files only, balances by the one rule (${KILLS} kills)`, async () => {
    const acked: Acked = { payments: new Map(), files: new Map() };
    const figures = { kills: 0, finished: 0, acknowledged: 0, committedUnacknowledged: 0, files: 0 };
    for (let run = 0; figures.kills < KILLS && run < KILLS * 2; run++) {
      const { killed } = await runChild(`r${run}`, 200 + Math.random() * 1300, acked);
      if (killed) figures.kills++;
      else figures.finished++;
      const held = verify(acked, run);
      figures.files = held.files;
      figures.committedUnacknowledged = held.payments - acked.payments.size - [...acked.files.values()].reduce((x, f) => x + f.posted, 0);
    }
    figures.acknowledged = acked.payments.size + acked.files.size;
    console.log(`payments-kill: ${JSON.stringify(figures)}`);
    expect(figures.kills).toBeGreaterThanOrEqual(KILLS);
    expect(acked.files.size, 'some files were imported').toBeGreaterThan(0);
    // The whole check, as the app runs it (integrity, chain, anchor, references), then the command line's.
    const backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0 });
    try {
      const r = await (await login(backend, 'admin', ADMIN_PASSWORD)).call('system.check', {});
      expect(r).toMatchObject({ integrityOk: true, audit: { ok: true }, refs: { ok: true } });
      expect(r.anchor.ok, r.anchor.message).toBe(true);
    } finally {
      backend.close();
    }
    const c = spawnSync(process.execPath, [BIN, 'check', '--store', s.dir], { env: { ...process.env, AGENCYDESK_PASSWORD: ADMIN_PASSWORD }, encoding: 'utf8' });
    expect(c.status, c.stdout + c.stderr).toBe(0);
  }, 60_000 + KILLS * 12_000); // generous: on a loaded machine a run takes ~5 s
});

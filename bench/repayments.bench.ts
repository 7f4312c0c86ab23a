// A lender's repayment file of 100,000 rows (BENCH_REPAY_ROWS) against 100,000 placed cases, a fifth of
// them with a payment the agency already posted: preview, then import in one transaction (20 % matched,
// 75 % posted through recordPayment with balance and settlement checks, 5 % rejected), then reconciliation
// for the month and the commission statement. Prints the times and the process's peak RSS.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../core/backend.js';
import { rawOpen } from '../test/helpers/store.js';
import { rng, toCsv } from '../test/helpers/placement-data.js';
import { dayIn } from '../shared/domain/casework/today.js';
import { addDays } from '../shared/domain/money/plans.js';
import { figure, timeAsync, rssMB } from './report.js';

const ROWS = Number(process.env.BENCH_REPAY_ROWS ?? process.env.BENCH_ROWS ?? 100_000);
const CASES = ROWS;

async function call(backend: Backend, method: string, input: unknown, session?: string) {
  const env = await backend.dispatch(method, input, { session });
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value as Record<string, unknown>;
}

/** Cases placed 60 days ago, and the agency's own payments on every fifth case (returned for the file). */
function seed(dir: string, recoveryKey: string, today: string): { caseNo: string; paidOn: string; fen: number }[] {
  const db = rawOpen(dir, recoveryKey);
  const r = rng(7);
  const agency: { caseNo: string; paidOn: string; fen: number }[] = [];
  try {
    const now = new Date().toISOString();
    db.transaction(() => {
      const lender = Number(db.prepare("INSERT INTO lenders (code, name, created_at, updated_at) VALUES ('BENCH', '基准', ?, ?)").run(now, now).lastInsertRowid);
      const batch = Number(
        db
          .prepare(
            `INSERT INTO batches (lender_id, batch_no, placement_date, source_name, source_sha256, source_bytes, source_format, mapping,
               rows_total, rows_imported, rows_updated, rows_rejected, amount_fen, imported_at, imported_by)
             VALUES (?, 'BENCH-1', ?, 'seed', 'seed', 0, 'csv', '{}', ?, ?, 0, 0, 0, ?, 1)`,
          )
          .run(lender, addDays(today, -60), CASES, CASES, now).lastInsertRowid,
      );
      const ins = db.prepare(
        `INSERT INTO case_rows (lender_id, case_no, batch_id, first_batch_id, borrower_name, id_number, province, mobile, overdue_amount_fen, overdue_principal_fen,
           days_overdue, bucket, created_at, updated_at) VALUES (?, ?, ?, ?, '张三', ?, '北京', '13800000000', ?, ?, ?, 'M2', ?, ?)`,
      );
      const pay = db.prepare(
        `INSERT INTO payments (case_id, paid_on, amount_fen, channel, payer, reference, note, source, entered_by, entered_at) VALUES (?, ?, ?, 'alipay', '', '', '', 'agency', 1, ?)`,
      );
      for (let i = 0; i < CASES; i++) {
        const owed = 500_000 + Math.floor(r() * 4_500_000);
        const id = Number(ins.run(lender, `CASE${i}`, batch, batch, `11010519900101${String(i).padStart(4, '0')}`, owed, owed, 1 + Math.floor(r() * 200), now, now).lastInsertRowid);
        if (i % 5 === 0) {
          const paidOn = addDays(today, -Math.floor(r() * 28));
          const fen = 10_000 + Math.floor(r() * 90_000);
          pay.run(id, paidOn, fen, now);
          agency.push({ caseNo: `CASE${i}`, paidOn, fen });
        }
      }
    })();
  } finally {
    db.close();
  }
  return agency;
}

export async function repaymentsBench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-repay-bench-'));
  const storeDir = path.join(dir, 'store');
  try {
    let backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const setup = (await call(backend, 'system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'Admin', password: 'bench password 1' } })) as { recoveryKey: string };
    backend.close();
    const today = dayIn(new Date());
    const agency = seed(storeDir, setup.recoveryKey, today);

    // The file: every agency payment reported again a day later (matched), new payments on the other
    // cases, and one row in twenty for a case the lender never placed here.
    const r = rng(9);
    const rows: string[][] = [['某银行 回款明细'], ['借据号', '回款金额(元)', '入账日期', '还款渠道', '还款人', '交易流水号']];
    let a = 0;
    for (let i = 0; rows.length - 2 < ROWS; i++) {
      if (i % 20 === 19) rows.push([`GONE${i}`, '100.00', today, '支付宝', '本人', `U${i}`]);
      else if (i % 5 === 0 && a < agency.length) {
        const p = agency[a++]!;
        rows.push([p.caseNo, (p.fen / 100).toFixed(2), p.paidOn === today ? today : addDays(p.paidOn, 1), '支付宝', '本人', `M${i}`]);
      } else rows.push([`CASE${i % CASES}`, (100 + Math.floor(r() * 900)).toFixed(2), addDays(today, -Math.floor(r() * 28)), '银行卡代扣', '本人', `N${i}`]);
    }
    const file = path.join(dir, 'repay.csv');
    writeFileSync(file, toCsv(rows));

    backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
    const token = (await call(backend, 'auth.login', { username: 'admin', password: 'bench password 1' })).token as string;
    const input = { lenderId: 1, file: { path: file } };
    const preview = await timeAsync(() => call(backend, 'repayments.preview', input, token));
    const p = preview.value as { matched: number; posted: number; rejected: number };
    figure(`preview ${ROWS.toLocaleString('en')} rows (${p.matched} match / ${p.posted} post / ${p.rejected} reject)`, preview.ms / 1000, 's');
    const imported = await timeAsync(() => call(backend, 'repayments.import', input, token));
    const i = imported.value as { matched: number; posted: number; rejected: number; settled: number };
    figure(`import in one transaction (${i.matched} matched, ${i.posted} posted)`, imported.ms / 1000, 's');
    figure('  rate', ROWS / (imported.ms / 1000), 'rows/s');
    const month = today.slice(0, 7);
    const rec = await timeAsync(() => call(backend, 'repayments.reconcile', { lenderId: 1, from: addDays(today, -30), to: today }, token));
    figure('repayments.reconcile, 30 days', rec.ms, 'ms');
    const st = await timeAsync(() => call(backend, 'commission.statement', { lenderId: 1, month }, token));
    figure(`commission.statement ${month} (${(st.value.payments as number).toLocaleString('en')} payments)`, st.ms, 'ms');
    figure('peak RSS of the process', Math.max(rssMB(), process.resourceUsage().maxRSS / 1024), 'MB');
    backend.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

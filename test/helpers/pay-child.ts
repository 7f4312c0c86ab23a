// Child process for test/integration/payments-kill.test.ts: opens a store through the real backend and posts
// money until it is killed — single payments (payments.post) and lender repayment files (repayments.import),
// printing each one only after the call returned: "P <paymentId> <caseId> <amountFen> <reference>" and
// "F <fileId> <posted> <matched> <sha256>". argv: storeDir lenderCode tag filesDir.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../core/backend.js';
import { ADMIN_PASSWORD, login } from './store.js';
import { toCsv } from './placement-data.js';

const [storeDir, lenderCode, tag, filesDir] = process.argv.slice(2) as [string, string, string, string];
const backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
const admin = await login(backend, 'admin', ADMIN_PASSWORD);
const lender = (await admin.call('lenders.list', {})).lenders.find((l) => l.code === lenderCode)!;
const cases = (await admin.call('cases.list', { sort: 'id', desc: false, limit: 500 })).rows.map((r) => ({ id: r.id, caseNo: r.caseNo }));
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const pick = () => cases[Math.floor(Math.random() * cases.length)]!;
const fen = () => 1 + Math.floor(Math.random() * 50);
console.log('started');
for (let i = 0; i < 10_000; i++) {
  const c = pick();
  const amountFen = fen();
  const reference = `S-${tag}-${i}`;
  const p = await admin.call('payments.post', { caseId: c.id, paidOn: today, amountFen, channel: 'alipay', reference });
  console.log(`P ${p.payment.id} ${c.id} ${amountFen} ${reference}`);
  if (i % 3 === 2) {
    const rows = Array.from({ length: 20 }, (_, k) => {
      const x = pick();
      return [x.caseNo, (fen() / 100).toFixed(2), today, `F-${tag}-${i}-${k}`];
    });
    const file = path.join(filesDir, `repay-${tag}-${i}.csv`);
    writeFileSync(file, toCsv([['借据号', '还款金额', '还款日期', '流水号'], ...rows]));
    const r = await admin.call('repayments.import', { lenderId: lender.id, file: { path: file } });
    console.log(`F ${r.file!.id} ${r.posted} ${r.matched} ${r.file!.sha256}`);
  }
}
console.log('done');
backend.close();

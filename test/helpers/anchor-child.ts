// Child process for test/integration/audit-anchor.test.ts: holds a store open, posts payments one by one and
// prints the WAL's size before each ("wal <bytes>"), then "posted <ids>" and waits to be killed (kill -9: an
// unclean shutdown, the WAL never checkpointed). argv: storeDir caseId count.
import { statSync } from 'node:fs';
import { createBackend } from '../../core/backend.js';
import { storeFiles } from '../../db/paths.js';
import { ADMIN_PASSWORD, login } from './store.js';

const [storeDir, caseId, count] = process.argv.slice(2) as [string, string, string];
const backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
const admin = await login(backend, 'admin', ADMIN_PASSWORD);
const ids: number[] = [];
for (let i = 0; i < Number(count); i++) {
  console.log(`wal ${statSync(storeFiles(storeDir).db + '-wal').size}`);
  const r = await admin.call('payments.post', { caseId: Number(caseId), paidOn: '2026-11-20', amountFen: 10_000 + i, channel: 'alipay' });
  ids.push(r.payment.id);
}
console.log(`posted ${ids.join(',')}`);
setInterval(() => undefined, 60_000);

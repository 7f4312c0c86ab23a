// Every payment, reversal, contact-log entry and assignment names the audit entry that records it (migration 019),
// and `check` verifies both ways: a row without its entry, an entry whose row is gone (issue 17).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../core/backend.js';
import { ADMIN_PASSWORD, login, makeStore, rawOpen, removeDir, tempDir, type Client, type TestStore } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const clock = new Date('2026-11-23T10:00:00+08:00');
let s: TestStore;
let files: string;
let cases: number[] = [];
let c1: Client;

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-refs-');
  const lender = (await s.admin.call('lenders.create', { code: 'REF', name: '引用银行' })).id;
  const id = (await s.admin.call('users.create', { username: 'c1', displayName: 'C1', role: 'collector', password: 'refs pw 1234' })).id;
  c1 = await login(s.backend, 'c1', 'refs pw 1234');
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(3, 23)]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: cases.slice(0, 2), collectorId: id });
  await s.admin.call('assign.manual', { caseIds: [cases[1]!], collectorId: null });
  const attempt = await c1.call('contacts.log', { caseId: cases[0]!, channel: 'phone', outcome: 'no_answer' });
  await c1.call('contacts.correct', { attemptId: attempt.id, note: '更正：号码为空号' });
  const p = await s.admin.call('payments.post', { caseId: cases[0]!, paidOn: '2026-11-20', amountFen: 12_345, channel: 'alipay' });
  await s.admin.call('payments.reverse', { paymentId: p.payment.id, reason: '重复入账' });
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

async function checkRaw(tamper: (db: ReturnType<typeof rawOpen>) => void) {
  s.close();
  const db = rawOpen(s.dir, s.recoveryKey);
  try {
    tamper(db);
  } finally {
    db.close();
  }
  s.backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, now: () => clock });
  s.close = () => s.backend.close();
  return (await login(s.backend, 'admin', ADMIN_PASSWORD)).call('system.check', {});
}

describe('rows and their audit entries', () => {
  it('each row names the entry that records it, on every path that writes one', async () => {
    const r = await s.admin.call('system.check', {});
    expect(r.refs).toEqual({ ok: true, checked: expect.any(Number) as number, problems: [], olderUnmatched: 0 });
    s.close();
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      const named = (table: string) =>
        db.prepare(`SELECT a.action FROM ${table} x JOIN audit_log a ON a.seq = x.audit_seq ORDER BY x.id`).pluck().all();
      expect(named('payments')).toEqual(['payments.post', 'payments.reverse']);
      expect(named('contact_attempts')).toEqual(['contacts.log', 'contacts.correct']);
      expect(named('assignments')).toEqual(['assign.manual', 'assign.recall']);
      // 6 rows and the 6 entries that record them, and (migration 023) the first contact's stage move and its entry
      expect(r.refs.checked).toBe(14);
    } finally {
      db.close();
      s.backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, now: () => clock });
      s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
      s.close = () => s.backend.close();
    }
  });

  it('reports a row written without its entry, an entry whose row is gone, and a row naming another entry', async () => {
    const r = await checkRaw((db) => {
      db.prepare(
        "INSERT INTO payments (case_id, paid_on, amount_fen, channel, payer, reference, note, source, entered_by, entered_at) VALUES (?, '2026-11-21', 99900, 'alipay', '', '', '', 'agency', 1, '2026-11-21T02:00:00Z')",
      ).run(cases[2]!);
      db.exec('DROP TRIGGER IF EXISTS contact_attempts_no_delete');
      db.prepare('DELETE FROM contact_attempts WHERE corrects_id IS NOT NULL').run();
      db.prepare("INSERT INTO assignments (at, actor_id, kind, rule, assigned, unassignable, detail, audit_seq) VALUES ('2026-11-21T02:00:00Z', 1, 'manual', 'manual', 0, 0, '{}', 1)").run();
    });
    expect(r.refs.ok).toBe(false);
    expect(r.refs.problems.map((p) => p.reason)).toEqual([
      'payments row 3 names no audit entry',
      expect.stringMatching(/^audit entry \d+ \(contacts\.correct\): its contact_attempts row 2 is gone$/),
      'assignments row 3 audit entry 1 (system.setup) does not record it',
    ]);
  });

  it('rows from before migration 019 are matched by the id their entry names, and only counted when none does', async () => {
    const r = await checkRaw((db) => {
      db.exec('DROP TRIGGER IF EXISTS payments_no_delete');
      db.prepare('DELETE FROM payments WHERE id = 3').run();
      db.prepare('DELETE FROM assignments WHERE id = 3').run();
      db.exec('DROP TRIGGER IF EXISTS contact_attempts_no_update; DROP TRIGGER IF EXISTS payments_no_update;');
      // As a store upgraded to 019 would look: no reference on the older rows, their ids below the mark.
      db.exec('UPDATE payments SET audit_seq = NULL; UPDATE contact_attempts SET audit_seq = NULL');
      db.prepare("UPDATE meta SET value = json_object('payments', 10, 'contact_attempts', 10, 'assignments', 0, 'audit', 0) WHERE key = 'audit_refs_from'").run();
      db.prepare(
        "INSERT INTO payments (id, case_id, paid_on, amount_fen, channel, payer, reference, note, source, entered_by, entered_at) VALUES (5, ?, '2026-11-21', 99900, 'alipay', '', '', '', 'agency', 1, '2026-11-21T02:00:00Z')",
      ).run(cases[2]!);
    });
    expect(r.refs.problems.map((p) => p.reason)).toEqual([expect.stringMatching(/contacts\.correct\): its contact_attempts row 2 is gone$/)]);
    expect(r.refs.olderUnmatched).toBe(1); // payment 5: an older row no entry names (reported, not a failure of its own)
  });
});

// Row ↔ audit references beyond money, contact log and assignments (migration 023, issue 17): legal referrals and
// events, complaints, plans, recalls, stage moves and case flags name the entry that records them, on every path
// that writes one, and `check` reports a row deleted under its entry and an entry deleted (chain rebuilt, as an
// attacker with the key would) under its row.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../core/backend.js';
import { entryHash, GENESIS_HASH } from '../../db/repos/audit.js';
import { ADMIN_PASSWORD, login, makeStore, rawOpen, removeDir, tempDir, type Client, type TestStore } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

type Raw = ReturnType<typeof rawOpen>;
let clock = new Date('2026-11-23T10:00:00+08:00');
const TABLES = ['legal_referrals', 'legal_events', 'complaints', 'plans', 'recalls', 'case_history', 'case_flags', 'payments', 'contact_attempts', 'assignments'];
let s: TestStore;
let files: string;
let cases: number[] = [];
let c1: Client;
let m1: Client;

beforeAll(async () => {
  s = await makeStore({ now: () => clock });
  files = tempDir('agencydesk-refs-more-');
  const lender = (await s.admin.call('lenders.create', { code: 'RFM', name: '引用二银行' })).id;
  const cid = (await s.admin.call('users.create', { username: 'c1', displayName: 'C1', role: 'collector', password: 'refs pw 1234' })).id;
  await s.admin.call('users.create', { username: 'm1', displayName: 'M1', role: 'manager', password: 'refs pw 5678' });
  c1 = await login(s.backend, 'c1', 'refs pw 1234');
  m1 = await login(s.backend, 'm1', 'refs pw 5678');
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(6, 29)]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  await s.admin.call('assign.manual', { caseIds: cases, collectorId: cid });
  // Stage moves by hand and by the first contact; a legal referral (a move too) and its event; a complaint
  // (its flag set with it); a flag by hand; a plan proposed and approved (a move to negotiation); a case settled
  // by a payment and reopened by its reversal; a recall.
  await c1.call('contacts.log', { caseId: cases[0]!, channel: 'phone', outcome: 'no_answer' });
  await c1.call('cases.move', { caseId: cases[0]!, to: 'paused', reason: '住院', pauseReason: 'hardship' });
  await c1.call('cases.move', { caseId: cases[1]!, to: 'contact' });
  const ref = await m1.call('legal.refer', { caseId: cases[1]!, lawFirm: '金诚律所', lawyer: '王律师', referredOn: '2026-11-13', reason: '长期拒不还款' });
  await m1.call('legal.addEvent', { referralId: ref.referral.id, kind: 'note', onDate: '2026-11-20', note: '已寄送材料' });
  await c1.call('complaints.record', { caseId: cases[2]!, channel: 'phone', from: 'borrower', what: '催收员语气粗暴' });
  await c1.call('cases.setFlag', { caseId: cases[3]!, flag: 'high_risk', on: true });
  const plan = await c1.call('plans.propose', { caseId: cases[4]!, kind: 'extension', reason: '收入中断', dueDate: '2026-12-31' });
  await m1.call('plans.decide', { planId: plan.id, approve: true });
  const owed = (await s.admin.call('money.balance', { caseId: cases[5]! })).outstanding;
  const paid = await s.admin.call('payments.post', { caseId: cases[5]!, paidOn: '2026-11-20', amountFen: owed, channel: 'alipay' });
  expect(paid.settled).toBe(true);
  expect((await s.admin.call('payments.reverse', { paymentId: paid.payment.id, reason: '重复入账' })).reopened).toBe(true);
  await s.admin.call('recalls.bySelection', { caseIds: [cases[3]!], reason: '委托方召回' });
  // The plan's due date and its grace pass unpaid: the plan breaks and the case moves back to contact by itself.
  clock = new Date('2027-02-01T10:00:00+08:00');
  // The idle lock ended the old sessions.
  c1 = await login(s.backend, 'c1', 'refs pw 1234');
  s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
  expect((await c1.call('plans.list', { caseId: cases[4]! })).plans[0]!.status).toBe('broken');
  expect((await c1.call('cases.get', { id: cases[4]! })).stage).toBe('contact');
}, 90_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

/** Closes the backend, tampers with the store as someone holding its key would, and runs `check` again. */
async function checkRaw(tamper: (db: Raw) => void) {
  s.close();
  const db = rawOpen(s.dir, s.recoveryKey);
  try {
    db.pragma('foreign_keys = OFF');
    tamper(db);
  } finally {
    db.close();
  }
  s.backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, now: () => clock });
  s.close = () => s.backend.close();
  s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
  return s.admin.call('system.check', {});
}

/**
 * Deletes the entries `drop` picks and writes a new, self-consistent chain; every row reference after a dropped
 * entry is moved down with it (the attacker's best effort), so the only break left is the row of the dropped entry.
 */
function dropEntries(db: Raw, drop: (r: { seq: number; action: string }) => boolean): number[] {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  for (const t of TABLES) db.exec(`DROP TRIGGER IF EXISTS ${t}_no_update`);
  const all = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, unknown>[];
  const dropped = all.filter((r) => drop(r as { seq: number; action: string })).map((r) => r.seq as number);
  db.exec('DELETE FROM audit_log');
  const insert = db.prepare('INSERT INTO audit_log (seq, at, actor_id, actor, host, action, entity, entity_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let prev = GENESIS_HASH;
  all
    .filter((r) => !dropped.includes(r.seq as number))
    .forEach((r, i) => {
      const base = { seq: i + 1, at: r.at as string, actor_id: r.actor_id as number | null, actor: r.actor as string, host: r.host as string, action: r.action as string, entity: r.entity as string, entity_id: r.entity_id as string | null, detail: r.detail as string, prev_hash: prev };
      prev = entryHash(base);
      insert.run(base.seq, base.at, base.actor_id, base.actor, base.host, base.action, base.entity, base.entity_id, base.detail, base.prev_hash, prev);
    });
  for (const d of [...dropped].sort((a, b) => b - a)) for (const t of TABLES) db.prepare(`UPDATE ${t} SET audit_seq = audit_seq - 1 WHERE audit_seq > ?`).run(d);
  return dropped;
}

describe('more rows and their audit entries', () => {
  it('each row names the entry that records it, on every path that writes one', async () => {
    const r = await s.admin.call('system.check', {});
    expect(r.refs).toEqual({ ok: true, checked: expect.any(Number) as number, problems: [], olderUnmatched: 0 });
    s.close();
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      const named = (table: string, where = '1') =>
        db.prepare(`SELECT a.action FROM ${table} x LEFT JOIN audit_log a ON a.seq = x.audit_seq WHERE ${where} ORDER BY x.rowid`).pluck().all();
      expect(named('legal_referrals')).toEqual(['legal.refer']);
      expect(named('legal_events')).toEqual(['legal.event']);
      expect(named('complaints')).toEqual(['complaints.record']);
      expect(named('plans')).toEqual(['plans.propose']);
      expect(named('recalls')).toEqual(['recalls.recall']);
      expect(db.prepare('SELECT a.action FROM case_flags x JOIN audit_log a ON a.seq = x.audit_seq ORDER BY x.case_id').pluck().all()).toEqual(['complaints.record', 'cases.setFlag']);
      expect(named('case_history', "kind = 'stage'")).toEqual(['cases.move', 'cases.move', 'cases.move', 'legal.refer', 'plans.approve', 'cases.settled', 'cases.reopened', 'recalls.recall', 'cases.move']);
    } finally {
      db.close();
      s.backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, now: () => clock });
      s.admin = await login(s.backend, 'admin', ADMIN_PASSWORD);
      s.close = () => s.backend.close();
    }
  });

  it('reports the row of each entry cut out of a rebuilt chain (references after it moved down too)', async () => {
    const cut = ['legal.event', 'complaints.record', 'cases.setFlag', 'plans.propose', 'recalls.recall', 'cases.settled'];
    let dropped: number[] = [];
    const r = await checkRaw((db) => {
      dropped = dropEntries(db, (e) => cut.includes(e.action));
    });
    expect(dropped).toHaveLength(cut.length);
    expect(r.audit.ok).toBe(true); // the chain itself is consistent again: only the references tell
    const lost = /^(\w+) row \d+ (its audit entry \d+ is gone|audit entry \d+ \([\w.]+\) does not record it)$/;
    expect(r.refs.problems.map((p) => p.reason).filter((x) => !lost.test(x))).toEqual([]);
    // The referral event, the complaint and its flag, the flag set by hand, the plan, the recall and its case's
    // move, and the move the settling payment made.
    expect(r.refs.problems.map((p) => p.table).sort()).toEqual(['case_flags', 'case_flags', 'case_history', 'case_history', 'complaints', 'legal_events', 'plans', 'recalls']);
  });

  it('reports each row deleted under its entry', async () => {
    const r = await checkRaw((db) => {
      db.exec('DROP TRIGGER IF EXISTS legal_events_no_delete');
      db.prepare('DELETE FROM legal_referrals').run();
      db.prepare("DELETE FROM case_history WHERE kind = 'stage' AND json_extract(detail, '$.to') = 'paused'").run();
    });
    expect(r.refs.ok).toBe(false);
    const reasons = r.refs.problems.map((p) => p.reason);
    expect(reasons).toContainEqual(expect.stringMatching(/^audit entry \d+ \(legal\.refer\): its legal_referrals row 1 is gone$/));
    expect(reasons).toContainEqual(expect.stringMatching(/^audit entry \d+ \(cases\.move\): its case_history row \(a stage move of case \d+\) is gone$/));
  });

  it('reports a flag deleted under the entry that set it, and flags naming no entry', async () => {
    await s.admin.call('cases.setFlag', { caseId: cases[0]!, flag: 'lost_contact', on: true });
    const r = await checkRaw((db) => {
      db.prepare("DELETE FROM case_flags WHERE flag = 'lost_contact'").run();
      db.exec('DROP TRIGGER IF EXISTS legal_events_no_delete');
      db.prepare('DELETE FROM legal_events').run();
      db.prepare("INSERT INTO case_flags (case_id, flag, set_by, set_at, note) VALUES (?, 'deceased', 1, '2026-11-23T02:00:00Z', '')").run(cases[5]!);
      db.prepare("UPDATE case_flags SET audit_seq = NULL WHERE flag = 'high_risk'").run();
    });
    const reasons = r.refs.problems.map((p) => p.reason);
    expect(reasons).toContainEqual(`case_flags row ${cases[5]!} names no audit entry`);
    expect(reasons).toContainEqual(`case_flags row ${cases[3]!} names no audit entry`);
    expect(reasons).toContainEqual(expect.stringMatching(new RegExp(`^audit entry \\d+ \\(cases\\.setFlag\\): its case_flags row \\(the lost_contact flag of case ${cases[0]!}\\) is gone$`)));
  });
});

describe('a store upgraded to migration 023', () => {
  it('checks clean with its older rows (matched by id, or not looked for), references new ones, and still reports an older row deleted', async () => {
    const t = await makeStore({ now: () => clock });
    const dir = tempDir('agencydesk-refs-023-');
    try {
      const lender = (await t.admin.call('lenders.create', { code: 'OLD', name: '旧库银行' })).id;
      const file = path.join(dir, 'p.csv');
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(3, 31)]));
      const { jobId } = await t.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01' });
      expect((await waitJob(t.admin, jobId)).state).toBe('done');
      const ids = (await t.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
      await t.admin.call('cases.move', { caseId: ids[0]!, to: 'contact' });
      const ref = await t.admin.call('legal.refer', { caseId: ids[0]!, lawFirm: '金诚律所', lawyer: '王律师', referredOn: '2026-11-13', reason: '长期拒不还款' });
      await t.admin.call('legal.addEvent', { referralId: ref.referral.id, kind: 'note', onDate: '2026-11-20', note: '已寄送材料' });
      await t.admin.call('complaints.record', { caseId: ids[1]!, channel: 'phone', from: 'borrower', what: '语气粗暴' });
      await t.admin.call('cases.setFlag', { caseId: ids[2]!, flag: 'deceased', on: true });
      t.close();
      // As the store looked before 023: no reference columns, no marks, the schema one step back.
      const { MIGRATIONS } = await import('../../db/migrations/index.js');
      const before = MIGRATIONS[MIGRATIONS.findIndex((m) => m.version === 23) - 1]!.version;
      const db = rawOpen(t.dir, t.recoveryKey);
      try {
        db.exec('DROP INDEX case_history_audit');
        for (const table of ['legal_referrals', 'legal_events', 'complaints', 'plans', 'recalls', 'case_history', 'case_flags']) db.exec(`ALTER TABLE ${table} DROP COLUMN audit_seq`);
        db.exec("UPDATE meta SET value = json_remove(value, '$.legal_referrals', '$.legal_events', '$.complaints', '$.plans', '$.recalls', '$.case_history', '$.audit_023') WHERE key = 'audit_refs_from'");
        // Migrations after 023 run again from there: undo them too.
        db.exec('DROP VIEW cases; DROP TABLE case_loading_updates; DROP TABLE case_loading; ALTER TABLE case_rows RENAME TO cases');
        db.exec('DROP TABLE assignment_pending_moves; DROP TABLE assignment_pending');
        db.exec('DROP TABLE collector_cases');
        for (const t of ['holder_insert', 'holder_update', 'holder_delete', 'case_update', 'case_delete']) db.exec(`DROP TRIGGER collector_cases_${t}`);
        db.pragma(`user_version = ${before}`);
      } finally {
        db.close();
      }
      t.backend = createBackend({ storeDir: t.dir, host: 'test', sweepEveryMs: 0, now: () => clock });
      let admin = await login(t.backend, 'admin', ADMIN_PASSWORD);
      expect((await admin.call('system.check', {})).refs).toMatchObject({ ok: true, problems: [], olderUnmatched: 0 });
      // New rows name their entries; an older row deleted is still reported by the id its entry names.
      await admin.call('complaints.record', { caseId: ids[2]!, channel: 'phone', from: 'borrower', what: '再次投诉' });
      await admin.call('cases.setFlag', { caseId: ids[1]!, flag: 'high_risk', on: true });
      t.backend.close();
      const raw = rawOpen(t.dir, t.recoveryKey);
      try {
        expect(raw.prepare('SELECT id, audit_seq IS NOT NULL AS named FROM complaints ORDER BY id').all()).toEqual([{ id: 1, named: 0 }, { id: 2, named: 1 }]);
        expect(raw.prepare('SELECT flag, audit_seq FROM case_flags WHERE audit_seq = 0 ORDER BY flag').pluck().all()).toEqual(['complaint', 'deceased']);
        raw.exec('DROP TRIGGER IF EXISTS legal_events_no_delete');
        raw.prepare('DELETE FROM legal_events').run();
      } finally {
        raw.close();
      }
      t.backend = createBackend({ storeDir: t.dir, host: 'test', sweepEveryMs: 0, now: () => clock });
      admin = await login(t.backend, 'admin', ADMIN_PASSWORD);
      expect((await admin.call('system.check', {})).refs.problems.map((p) => p.reason)).toEqual([expect.stringMatching(/^audit entry \d+ \(legal\.event\): its legal_events row 1 is gone$/)]);
    } finally {
      t.backend.close();
      removeDir(t.dir);
      removeDir(dir);
    }
  }, 90_000);
});

// Erasure and the audit log (issue 17): what users type into audit entries about a case (a stage move's reason,
// an override's reason, a flag's note, an unmask note, an attached file's name, a manual assignment's note, a
// recall's reason) names the borrower. After the case is erased none of it is left in the decrypted store —
// every table, the live and freed pages of the file, a VACUUM INTO copy, the WAL — while the chain still
// verifies (reporting the entries whose text the erasure cleared, by run), `check` passes with the anchor, and
// another borrower's typed text is still there. Text changed behind the store's back breaks the chain.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, rawOpen, removeDir, tempDir, login, ADMIN_PASSWORD, type TestStore, type Client } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { toCsv } from '../helpers/placement-data.js';
import { foundIn, plainStore } from '../helpers/plain-pages.js';
import { auditRepo } from '../../db/repos/audit.js';
import { dayIn } from '../../shared/domain/casework/today.js';

let s: TestStore;
let admin: Client;
let files: string;
let lender = 0;
const ids: Record<string, number> = {};
let collector = 0;

const HEADERS = ['合同号', '客户姓名', '身份证号', '手机号码', '逾期金额'];
const ROWS = [
  ['Q1', '司马相如', '110105198807154318', '13511112222', '1,000.00'],
  ['Q3', '慕容复兴', '440305199512120024', '15899990000', '3,000.00'],
];
// What a user typed about Q3 (erased) and about Q1 (kept): each must be gone, resp. still there.
const Q3 = { name: '慕容复兴', phone: '15899990000', id: '440305199512120024' };
const Q1 = { name: '司马相如', phone: '13511112222' };

async function typeAbout(caseId: number, who: { name: string; phone: string }, id?: string) {
  await admin.call('cases.move', { caseId, to: 'paused', pauseReason: 'hardship', reason: `${who.name}住院，家属电话${who.phone}` });
  await admin.call('cases.move', { caseId, to: 'contact', reason: `${who.name}出院` });
  await admin.call('compliance.override', { caseId, rule: 'quiet_hours', reason: `${who.name}要求晚上打${who.phone}` });
  await admin.call('cases.setFlag', { caseId, flag: 'high_risk', on: true, note: `${who.name}曾威胁投诉` });
  await admin.call('cases.unmask', { caseId, field: 'mobile', reason: 'other', note: `核对${who.name}号码` });
  const proof = path.join(files, `${who.name}-${id ?? who.phone}.txt`);
  writeFileSync(proof, 'proof');
  await admin.call('cases.attach', { caseId, file: { path: proof }, note: '' });
  await admin.call('assign.manual', { caseIds: [caseId], collectorId: collector, note: `${who.name}的案子给你`, confirmSplit: true });
}

beforeAll(async () => {
  s = await makeStore();
  admin = s.admin;
  files = tempDir('agencydesk-audit-text-');
  lender = (await admin.call('lenders.create', { code: 'ATXT', name: '审计文本' })).id;
  collector = (await admin.call('users.create', { username: 'c1', displayName: 'C1', role: 'collector', password: 'collector pw 123' })).id;
  const file = path.join(files, 'placement.csv');
  writeFileSync(file, toCsv([HEADERS, ...ROWS]));
  const job = await waitJob(admin, (await admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01' })).jobId);
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  await new Promise((r) => setTimeout(r, 1500)); // the import worker's checkpoint
  for (const r of (await admin.call("cases.list", { sort: "id", desc: false })).rows) ids[r.caseNo] = r.id;
  expect(Object.keys(ids), JSON.stringify(job)).toEqual(["Q1", "Q3"]);
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

describe('free text in audit entries about an erased case', () => {
  it('is gone from the decrypted store; the chain verifies and says which run cleared it; the other borrower keeps hers', async () => {
    await typeAbout(ids.Q1!, Q1);
    await typeAbout(ids.Q3!, Q3, Q3.id);
    await admin.call('recalls.bySelection', { caseIds: [ids.Q3!], reason: `${Q3.name}已还清，委托方召回` });
    // What users read back is what they typed.
    const typed = JSON.stringify((await admin.call('audit.list', { limit: 200 })).entries);
    for (const v of [Q3.name, Q3.phone, Q1.name]) expect(typed).toContain(v);

    await admin.call('privacy.setRetention', { lenderId: lender, retention: { afterReturnedDays: 0, afterSettledDays: 0 } });
    const out = await admin.call('privacy.erase', { lenderId: lender, caseIds: [ids.Q3!] });
    expect(out).toMatchObject({ erased: 1 });

    const verify = await admin.call('audit.verify', {});
    expect(verify.ok, JSON.stringify(verify.brokenAt)).toBe(true);
    // Moves (2), override, flag, unmask, attach, the manual assignment, the recall: 8 entries, by this run.
    expect(verify.textErased).toEqual([{ runId: out.run.id, entries: 8, manifestSha256: out.run.manifestSha256 }]);
    const check = await admin.call('system.check', {});
    expect(check.audit.ok).toBe(true);
    expect(check.anchor.status).toBe('ok');

    // The entries are still there, their structure kept and their text marked as erased by the run.
    const entries = (await admin.call('audit.list', { limit: 300 })).entries;
    const q3 = entries.filter((e) => e.entity === 'case' && e.entityId === String(ids.Q3));
    const moves = q3.filter((e) => e.action === 'cases.move');
    expect(moves.map((e) => [e.detail.from, e.detail.to, e.detail.pauseReason, e.textErasedBy])).toEqual([
      ['paused', 'contact', null, out.run.id],
      ['new', 'paused', 'hardship', out.run.id],
    ]);
    const listed = JSON.stringify(entries);
    for (const v of Object.values(Q3)) expect(listed, v).not.toContain(v);
    expect(listed).toContain(`${Q1.name}住院，家属电话${Q1.phone}`);
    expect(listed).toContain(`核对${Q1.name}号码`);

    // The access report still has the unmask (its reason is a code), without the erased note.
    // The agency's day (Beijing), not the UTC one: from 16:00 UTC they differ.
    const day = dayIn(new Date());
    const rep = await admin.call('privacy.accessReport', { from: day, to: day });
    expect(rep.unmasks.map((u) => [u.caseNo, u.reason, u.note])).toEqual([
      ['Q1', 'other', `核对${Q1.name}号码`],
      ['Q3', 'other', ''],
    ]);

    s.close();
    const plain = plainStore(s.dir, s.recoveryKey);
    for (const v of Object.values(Q3)) expect(foundIn(plain, v), v).toEqual([]);
    for (const v of Object.values(Q1)) expect(foundIn(plain, v).length, v).toBeGreaterThanOrEqual(3);

    // The store as a fresh process opens it: the chain verifies from the file alone.
    const db = rawOpen(s.dir, s.recoveryKey);
    try {
      const v = auditRepo(db).verify();
      expect(v.ok).toBe(true);
      expect(v.textErased?.[0]?.entries).toBe(8);
      // Free text is append-only too: outside an erasure it is neither changed, cleared nor deleted.
      expect(() => db.prepare("UPDATE audit_text SET text = '{}' WHERE text IS NOT NULL").run()).toThrow(/never changed/);
      expect(() => db.prepare('UPDATE audit_text SET text = NULL, salt = NULL WHERE text IS NOT NULL').run()).toThrow(/never changed/);
      expect(() => db.prepare('DELETE FROM audit_text').run()).toThrow(/never deleted/);
      // Someone holding the key who rewrites a reason (triggers dropped) breaks the chain at that entry.
      const seq = db.prepare<[], { seq: number }>('SELECT seq FROM audit_text WHERE text IS NOT NULL ORDER BY seq LIMIT 1').get()!.seq;
      db.exec('DROP TRIGGER audit_text_erase_only');
      db.prepare("UPDATE audit_text SET text = json_set(text, '$.reason', '改过的理由') WHERE seq = ?").run(seq);
      expect(auditRepo(db).verify().brokenAt).toEqual({ seq, reason: 'its free text does not match the digest in the entry' });
      // Or clears it without an erasure run.
      db.prepare("UPDATE audit_text SET text = NULL, salt = NULL WHERE seq = ?").run(seq);
      expect(auditRepo(db).verify().brokenAt).toEqual({ seq, reason: 'its free text was cleared without an erasure run' });
    } finally {
      db.close();
    }
  }, 120_000);
});

describe('entries written before migration 022', () => {
  it('a store or a backup being restored from before 022 (no audit_text) verifies, and appends form 1', async () => {
    const { default: Database } = await import('better-sqlite3-multiple-ciphers');
    const { up } = await import('../../db/migrations/001_foundation.js');
    const db = new Database(':memory:');
    try {
      db.exec(up);
      const r = auditRepo(db);
      r.append({ at: new Date().toISOString(), actorId: 1, actor: 'admin', host: 'test', action: 'cases.move', entity: 'case', entityId: '1', detail: { from: 'new', to: 'paused', reason: '旧库的理由' } });
      expect(r.verify()).toMatchObject({ ok: true, checked: 1, textErased: [] });
      expect(r.list({ limit: 1 })[0]!.detail.reason).toBe('旧库的理由');
    } finally {
      db.close();
    }
  });

  it('keep their form-1 hash and verify beside form-2 entries', async () => {
    const dir = tempDir('agencydesk-audit-forms-');
    try {
      const t = await makeStore({ storeDir: dir });
      await t.admin.call('lenders.create', { code: 'OLD1', name: '旧' });
      t.close();
      const db = rawOpen(dir, t.recoveryKey);
      try {
        // A form-1 entry as the code before 022 wrote it (hash over the detail as written, no text row).
        const r = auditRepo(db);
        const head = r.head();
        const { entryHash } = await import('../../db/repos/audit.js');
        const base = { seq: head.seq + 1, at: new Date().toISOString(), actor_id: 1, actor: 'admin', host: 'test', action: 'cases.move', entity: 'case', entity_id: '1', detail: JSON.stringify({ from: 'new', to: 'paused', reason: '老条目的理由' }), prev_hash: head.hash };
        db.prepare('INSERT INTO audit_log (seq, at, actor_id, actor, host, action, entity, entity_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
          base.seq, base.at, base.actor_id, base.actor, base.host, base.action, base.entity, base.entity_id, base.detail, base.prev_hash, entryHash(base),
        );
        r.append({ at: new Date().toISOString(), actorId: 1, actor: 'admin', host: 'test', action: 'cases.move', entity: 'case', entityId: '1', detail: { from: 'paused', to: 'contact', reason: '新条目的理由' } });
        const v = r.verify();
        expect(v.ok, JSON.stringify(v.brokenAt)).toBe(true);
        const [newer, older] = r.list({ limit: 2 });
        expect(older!.detail.reason).toBe('老条目的理由');
        expect(newer!.detail.reason).toBe('新条目的理由');
        // The new entry's chain covers a digest, not the text.
        expect(db.prepare<[number], { detail: string; hash_form: number }>('SELECT detail, hash_form FROM audit_log WHERE seq = ?').get(newer!.seq)).toEqual({ detail: JSON.stringify({ from: 'paused', to: 'contact' }), hash_form: 2 });
      } finally {
        db.close();
      }
    } finally {
      removeDir(dir);
    }
  });
});

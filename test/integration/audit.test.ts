// The audit log: chained, append-only in the store, and a check that finds the first broken link.
import { describe, it, expect, afterEach } from 'vitest';
import { makeStore, rawOpen, removeDir, type TestStore } from '../helpers/store.js';
import { auditRepo } from '../../db/repos/audit.js';

let s: TestStore | undefined;
afterEach(() => {
  s?.close();
  if (s) removeDir(s.dir);
  s = undefined;
});

async function storeWithHistory() {
  s = await makeStore();
  await s.admin.call('teams.create', { name: 'M1组' });
  await s.admin.call('teams.create', { name: 'M2组' });
  await s.admin.call('teams.rename', { id: 2, name: 'M2+组' });
  return s;
}

describe('audit log', () => {
  it('records who did what to which record, from which host, each entry chained to the previous', async () => {
    const t = await storeWithHistory();
    const { entries } = await t.admin.call('audit.list', {});
    const rename = entries.find((e) => e.action === 'teams.rename')!;
    expect(rename).toMatchObject({ actor: 'admin', actorId: 1, entity: 'team', entityId: '2', detail: { before: 'M2组', after: 'M2+组' } });
    expect(rename.host).toMatch(/^test@/);
    expect(entries.map((e) => e.action).reverse().slice(0, 2)).toEqual(['system.setup', 'teams.create']);
    const v = await t.admin.call('audit.verify', {});
    expect(v).toMatchObject({ ok: true, brokenAt: null, checked: entries.length });
    expect(v.headHash).toBe(entries[0]!.hash);
  });

  it('the store refuses UPDATE and DELETE on the log', async () => {
    const t = await storeWithHistory();
    t.close();
    const db = rawOpen(t.dir, t.recoveryKey);
    try {
      expect(() => db.prepare("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('reports the first tampered entry even when the triggers were dropped', async () => {
    const t = await storeWithHistory();
    t.close();
    const db = rawOpen(t.dir, t.recoveryKey);
    try {
      db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
      expect(auditRepo(db).verify().ok).toBe(true);
      db.prepare(`UPDATE audit_log SET detail = '{"name":"forged"}' WHERE seq = 3`).run();
      expect(auditRepo(db).verify()).toMatchObject({ ok: false, brokenAt: { seq: 3, reason: 'entry content does not match its hash' } });
    } finally {
      db.close();
    }
  });

  it('reports a deleted entry as a gap, and a rewritten chain as a broken link', async () => {
    const t = await storeWithHistory();
    t.close();
    const db = rawOpen(t.dir, t.recoveryKey);
    try {
      db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
      db.prepare('DELETE FROM audit_log WHERE seq = 2').run();
      expect(auditRepo(db).verify()).toMatchObject({ ok: false, brokenAt: { seq: 3, reason: 'entries 2–2 are missing' } });
      // Renumbering to hide the gap breaks the link instead.
      db.prepare('UPDATE audit_log SET seq = 2 WHERE seq = 3').run();
      expect(auditRepo(db).verify()).toMatchObject({ ok: false, brokenAt: { seq: 2 } });
    } finally {
      db.close();
    }
  });
});

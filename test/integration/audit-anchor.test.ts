// Issue 17, findings 3 and 4: an audit chain rebuilt with the master key, and a store rolled back (pages copied
// from an older copy of agency.db; a damaged WAL after a kill -9) used to pass `check`. The anchor outside the
// store (audit-anchor.json) and the row ↔ audit references now report each.
import { describe, it, expect, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, openSync, readFileSync, readSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createBackend } from '../../core/backend.js';
import { ADMIN_PASSWORD, Client, login, makeStore, rawOpen, removeDir, tempDir, type TestStore } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { storeFiles } from '../../db/paths.js';
import { anchorPath } from '../../db/audit-anchor.js';
import { auditRepo, entryHash, GENESIS_HASH } from '../../db/repos/audit.js';
import type { Db } from '../../db/open.js';

const PAGE = 4096; // SQLCipher 4's page size
const CHILD = path.resolve('test/helpers/anchor-child.ts');
const clock = new Date('2026-11-23T10:00:00+08:00');
let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.reverse()) f();
  cleanup = [];
});

/** A store with three imported cases, the first two assigned to a collector. */
async function storeWithCases(): Promise<{ s: TestStore; cases: number[] }> {
  const s = await makeStore({ now: () => clock });
  const files = tempDir('agencydesk-anchor-');
  cleanup.push(() => removeDir(s.dir), () => removeDir(files));
  const lender = (await s.admin.call('lenders.create', { code: 'ANC', name: '锚点银行' })).id;
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(3, 41)]));
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: '2026-11-01' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  const cases = (await s.admin.call('cases.list', { sort: 'id', desc: false })).rows.map((r) => r.id);
  return { s, cases };
}

const pay = (c: Client, caseId: number, amountFen: number) => c.call('payments.post', { caseId, paidOn: '2026-11-20', amountFen, channel: 'alipay' });

/** A new backend on the folder (the old one closed), logged in as the admin. */
async function reopen(dir: string): Promise<{ admin: Client; close: () => void }> {
  const backend = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 0, now: () => clock });
  cleanup.push(() => backend.close());
  return { admin: await login(backend, 'admin', ADMIN_PASSWORD), close: () => backend.close() };
}

/** What an attacker holding the master key does: drops the triggers and writes a new, self-consistent chain. */
function rebuildChain(db: Db, keep: (r: Record<string, unknown>) => boolean, padTo?: number): void {
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  const rows = (db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, unknown>[]).filter(keep);
  while (padTo !== undefined && rows.length < padTo) rows.push({ ...rows[rows.length - 1]!, action: 'cases.view', entity: 'case', entity_id: '1', detail: '{}' });
  db.exec('DELETE FROM audit_log');
  const insert = db.prepare('INSERT INTO audit_log (seq, at, actor_id, actor, host, action, entity, entity_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  let prev = GENESIS_HASH;
  rows.forEach((r, i) => {
    const base = { seq: i + 1, at: r.at as string, actor_id: r.actor_id as number | null, actor: r.actor as string, host: r.host as string, action: r.action as string, entity: r.entity as string, entity_id: r.entity_id as string | null, detail: r.detail as string, prev_hash: prev };
    prev = entryHash(base);
    insert.run(base.seq, base.at, base.actor_id, base.actor, base.host, base.action, base.entity, base.entity_id, base.detail, base.prev_hash, prev);
  });
  db.exec(`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
           CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`);
}

/** Everything in agency.db itself (another connection closing late can leave commits in the WAL). */
function checkpoint(dir: string, recoveryKey: string): void {
  const db = rawOpen(dir, recoveryKey);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Pages (1-based) that hold a table and its indexes, read through dbstat. */
function pagesOf(db: Db, table: string): number[] {
  return (db.prepare('SELECT DISTINCT pageno FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = ?)').pluck().all(table) as number[]).sort((a, b) => a - b);
}

/** Copies whole pages of `from` over `to` at the same offsets: no key needed, each SQLCipher page stands alone. */
function copyPages(from: string, to: string, pages: number[] | 'differing'): number {
  const a = readFileSync(from);
  const fd = openSync(to, 'r+');
  let copied = 0;
  try {
    const size = statSync(to).size;
    const list = pages === 'differing' ? Array.from({ length: Math.min(a.length, size) / PAGE }, (_, i) => i + 1) : pages;
    for (const p of list) {
      const old = a.subarray((p - 1) * PAGE, p * PAGE);
      const cur = Buffer.alloc(PAGE);
      readSync(fd, cur, 0, PAGE, (p - 1) * PAGE);
      if (old.equals(cur)) continue;
      writeSync(fd, old, 0, PAGE, (p - 1) * PAGE);
      copied++;
    }
  } finally {
    closeSync(fd);
  }
  if (pages === 'differing' && statSync(to).size > a.length) truncateSync(to, a.length);
  return copied;
}

describe('the audit anchor (issue 17, finding 3)', () => {
  it('a chain rebuilt with the master key — entries deleted, hashes recomputed — fails check, and is audited at open', async () => {
    const { s, cases } = await storeWithCases();
    await pay(s.admin, cases[0]!, 20_000);
    const gone = (await pay(s.admin, cases[0]!, 30_000)).payment.id;
    const before = await s.admin.call('system.check', {});
    expect(before).toMatchObject({ integrityOk: true, audit: { ok: true }, anchor: { ok: true, status: 'ok', verified: true }, refs: { ok: true } });
    s.close();

    // Remove the payment and every entry that mentions it, then pad the chain back to its length.
    const db = rawOpen(s.dir, s.recoveryKey);
    const length = auditRepo(db).head().seq;
    db.exec('DROP TRIGGER IF EXISTS payments_no_delete');
    db.prepare('DELETE FROM payments WHERE id = ?').run(gone);
    rebuildChain(db, (r) => !String(r.detail).includes(`"paymentId":${gone}`), length);
    expect(auditRepo(db).verify().ok).toBe(true); // the chain alone cannot tell: what check used to rely on
    db.close();

    const o = await reopen(s.dir);
    const r = await o.admin.call('system.check', {});
    expect(r.audit.ok).toBe(true);
    expect(r.refs.ok).toBe(true); // row and entries went together: only the anchor sees it
    expect(r.anchor).toMatchObject({ ok: false, status: 'mismatch', verified: true, anchoredSeq: length });
    expect(r.anchor.message).toMatch(new RegExp(`Audit entry ${length} is not the one anchored`));
    // Found at the unlock and written into the (rebuilt) log, once.
    const { entries } = await o.admin.call('audit.list', { action: 'audit.anchorMismatch' });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.detail).toMatchObject({ status: 'mismatch', anchoredSeq: length });

    // It stays failed (the anchor is not moved over it) until an admin accepts the store as it is.
    o.close();
    const o2 = await reopen(s.dir);
    expect((await o2.admin.call('system.check', {})).anchor.status).toBe('mismatch');
    expect((await o2.admin.call('audit.list', { action: 'audit.anchorMismatch' })).entries).toHaveLength(1);
    const accepted = await o2.admin.call('audit.acceptAnchor', { reason: '已与备份核对，确认篡改范围' });
    expect(accepted).toMatchObject({ ok: true, status: 'ok' });
    const after = await o2.admin.call('system.check', {});
    expect(after.anchor.ok).toBe(true);
    const acc = (await o2.admin.call('audit.list', { action: 'audit.anchorAccepted' })).entries[0]!;
    expect(acc.detail).toMatchObject({ previous: { status: 'mismatch', anchoredSeq: length } });
  }, 60_000);

  it('an edited anchor file fails its MAC; a deleted one is reported as missing, not silently re-made', async () => {
    const { s, cases } = await storeWithCases();
    await pay(s.admin, cases[0]!, 20_000);
    s.close();
    const file = anchorPath(s.dir);
    const a = JSON.parse(readFileSync(file, 'utf8')) as { seq: number };
    writeFileSync(file, JSON.stringify({ ...a, seq: a.seq - 1 }));
    let o = await reopen(s.dir);
    expect((await o.admin.call('system.check', {})).anchor).toMatchObject({ ok: false, status: 'forged' });
    o.close();
    rmSync(file);
    o = await reopen(s.dir);
    const r = await o.admin.call('system.check', {});
    expect(r.anchor).toMatchObject({ ok: false, status: 'missing' });
    expect(r.anchor.message).toMatch(/anchored before/);
  }, 60_000);
});

describe('check in an offload worker (team server)', () => {
  it('compares and MAC-checks the anchor there too', async () => {
    const { s, cases } = await storeWithCases();
    await pay(s.admin, cases[0]!, 20_000);
    s.close();
    const backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0, now: () => clock, heavyWorkers: 1 });
    cleanup.push(() => backend.close());
    const admin = await login(backend, 'admin', ADMIN_PASSWORD);
    const r = await admin.call('system.check', {});
    expect(r.anchor).toMatchObject({ ok: true, status: 'ok', verified: true });
    expect(r.refs.ok).toBe(true);
  }, 60_000);
});

describe('rollback (issue 17, finding 4)', () => {
  it('pages of an older copy of agency.db copied over the store: the anchor is ahead of it', async () => {
    const { s, cases } = await storeWithCases();
    await pay(s.admin, cases[0]!, 20_000);
    s.close();
    checkpoint(s.dir, s.recoveryKey);
    const older = path.join(s.dir, '..', `${path.basename(s.dir)}-older.db`);
    copyFileSync(storeFiles(s.dir).db, older);
    cleanup.push(() => rmSync(older, { force: true }));
    let o = await reopen(s.dir);
    const lost = (await pay(o.admin, cases[1]!, 55_000)).payment.id;
    o.close();
    checkpoint(s.dir, s.recoveryKey);

    expect(copyPages(older, storeFiles(s.dir).db, 'differing')).toBeGreaterThan(0);
    // What check used to see: a sound store with a sound chain.
    const db = rawOpen(s.dir, s.recoveryKey);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(auditRepo(db).verify().ok).toBe(true);
    expect(db.prepare('SELECT count(*) FROM payments WHERE id = ?').pluck().get(lost)).toBe(0);
    db.close();

    o = await reopen(s.dir);
    const r = await o.admin.call('system.check', {});
    expect(r).toMatchObject({ integrityOk: true, audit: { ok: true }, anchor: { ok: false, status: 'behind' } });
    expect(r.anchor.message).toMatch(/rolled back/);
    // At the unlock, before the login wrote anything: the log ended before the anchored entry.
    const found = (await o.admin.call('audit.list', { action: 'audit.anchorMismatch' })).entries[0]!.detail as { headSeq: number; anchoredSeq: number };
    expect(found.headSeq).toBeLessThan(found.anchoredSeq);
    expect(found.anchoredSeq).toBe(r.anchor.anchoredSeq);
  }, 60_000);

  it("only the payments table's pages put back: the payment is gone but its audit entry is not — check names both", async () => {
    const { s, cases } = await storeWithCases();
    await pay(s.admin, cases[0]!, 20_000);
    s.close();
    checkpoint(s.dir, s.recoveryKey);
    const older = path.join(s.dir, '..', `${path.basename(s.dir)}-older.db`);
    copyFileSync(storeFiles(s.dir).db, older);
    cleanup.push(() => rmSync(older, { force: true }));
    let o = await reopen(s.dir);
    const lost = (await pay(o.admin, cases[1]!, 55_000)).payment.id;
    o.close();
    checkpoint(s.dir, s.recoveryKey);

    let db = rawOpen(s.dir, s.recoveryKey);
    const pages = pagesOf(db, 'payments');
    db.close();
    expect(copyPages(older, storeFiles(s.dir).db, pages)).toBeGreaterThan(0);
    db = rawOpen(s.dir, s.recoveryKey);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(auditRepo(db).verify().ok).toBe(true);
    expect(db.prepare('SELECT count(*) FROM payments WHERE id = ?').pluck().get(lost)).toBe(0);
    db.close();

    o = await reopen(s.dir);
    const r = await o.admin.call('system.check', {});
    expect(r.anchor.ok).toBe(true); // the audit log itself was not rolled back
    expect(r.refs.ok).toBe(false);
    expect(r.refs.problems).toEqual([expect.objectContaining({ table: 'payments', rowId: lost, reason: expect.stringMatching(new RegExp(`payments.post\\): its payments row ${lost} is gone`)) })]);
  }, 60_000);

  it('a flipped byte in the WAL after a kill -9 drops committed payments: the unlock and check report it', async () => {
    const { s, cases } = await storeWithCases();
    s.close();
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, s.dir, String(cases[0]), '3'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const walSizes: number[] = [];
    let posted: number[] = [];
    for await (const line of createInterface({ input: child.stdout! })) {
      if (line.startsWith('wal ')) walSizes.push(Number(line.slice(4)));
      if (line.startsWith('posted ')) {
        posted = line.slice(7).split(',').map(Number);
        break;
      }
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(posted).toHaveLength(3);
    // A byte in the first frame written after the first payment: that frame and every later one fail their checksum.
    const wal = storeFiles(s.dir).db + '-wal';
    const at = walSizes[1]! + 24 + 100;
    expect(statSync(wal).size).toBeGreaterThan(at);
    const fd = openSync(wal, 'r+');
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, at);
    b[0] = b[0]! ^ 0xff;
    writeSync(fd, b, 0, 1, at);
    closeSync(fd);

    const errors: string[] = [];
    const origError = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.map(String).join(' '));
    let o;
    try {
      o = await reopen(s.dir);
    } finally {
      console.error = origError;
    }
    const listed = (await o.admin.call('payments.list', { caseId: cases[0]! })).payments.map((p) => p.id);
    expect(listed).toEqual([posted[0]]); // two committed payments are gone, silently as far as SQLite goes
    expect(errors.join('\n')).toMatch(/AUDIT ANCHOR WARNING \(behind\).*rolled back/);
    const r = await o.admin.call('system.check', {});
    expect(r).toMatchObject({ integrityOk: true, audit: { ok: true }, anchor: { ok: false, status: 'behind' } });
    expect((await o.admin.call('audit.list', { action: 'audit.anchorMismatch' })).entries[0]!.detail).toMatchObject({ status: 'behind' });
  }, 90_000);
});

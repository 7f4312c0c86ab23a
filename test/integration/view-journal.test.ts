// Opening a case while another connection holds the write lock (an import's COMMIT): the case is shown at once
// and its "viewed" entry is journaled (sealed, fsync'd) and moved into the audit log, with the time of the view,
// once the lock is free — also after a kill, exactly once (core/privacy/view-journal.ts, db/view-journal.ts).
import { bundleChild } from '../helpers/bundle-child.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend } from '../../core/backend.js';
import { ADMIN_PASSWORD, login, makeStore, rawOpen, removeDir, type Client, type TestStore } from '../helpers/store.js';
import { seedCases } from '../helpers/assign-seed.js';
import { storeFiles } from '../../db/paths.js';

const CHILD_DIR = path.resolve('test-results/view-journal-child');
const CHILD = path.join(CHILD_DIR, 'view-child.mjs');
let s: TestStore;
let ids: number[];
let caseNos: string[];

const views = async (c: Client, caseId: number) => (await c.call('audit.list', { action: 'cases.view', limit: 500 })).entries.filter((e) => e.entityId === String(caseId));

beforeAll(async () => {
  await bundleChild('view-child', 'test/helpers/view-child.ts', CHILD_DIR);
  s = await makeStore();
  const lenderId = (await s.admin.call('lenders.create', { code: 'VJ', name: '查看' })).id;
  const db = rawOpen(s.dir, s.recoveryKey);
  try {
    seedCases(db, lenderId, 5, 2);
    const rows = db.prepare('SELECT id, case_no FROM cases ORDER BY id').all() as { id: number; case_no: string }[];
    ids = rows.map((r) => r.id);
    caseNos = rows.map((r) => r.case_no);
  } finally {
    db.close();
  }
}, 60_000);
afterAll(() => {
  s?.close();
  if (s) removeDir(s.dir);
  removeDir(CHILD_DIR);
});

describe('views while the write lock is taken', () => {
  it('shows the case at once and writes its view into the audit log, with the time of the view, once the lock is free', async () => {
    const holder = rawOpen(s.dir, s.recoveryKey);
    const journal = storeFiles(s.dir).viewJournal;
    try {
      holder.exec('BEGIN IMMEDIATE');
      const before = new Date().toISOString();
      // Answered while the lock is still held (waiting for it would end in BUSY: nobody releases it meanwhile).
      const env = await s.backend.dispatch('cases.get', { id: ids[0] }, { session: s.admin.token });
      expect(env.ok).toBe(true);
      const after = new Date().toISOString();
      expect(existsSync(journal)).toBe(true);
      // Sealed: neither the case number nor who viewed it is readable in the file.
      const text = readFileSync(journal, 'utf8');
      expect(text).not.toContain(caseNos[0]!);
      expect(text).not.toContain('admin');
      holder.exec('ROLLBACK');
      await s.admin.call('system.status', {}); // any call: the journal is moved after it
      expect(existsSync(journal)).toBe(false);
      const [v, ...more] = await views(s.admin, ids[0]!);
      expect(more).toEqual([]);
      expect(v!.actor).toBe('admin');
      expect(v!.detail).toEqual({ caseNo: caseNos[0] });
      expect(v!.at >= before && v!.at <= after).toBe(true);
      expect((await s.admin.call('audit.verify', {})).ok).toBe(true);
    } finally {
      if (holder.inTransaction) holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('a kill after the view was journaled: the next open writes it, exactly once; a copy put back is not written again', async () => {
    s.close();
    const child = spawn(process.execPath, [CHILD, s.dir, s.recoveryKey, String(ids[1])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const deadline = Date.now() + 60_000;
    while (!out.includes('viewed')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`child: ${out} ${err}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const kept = `${storeFiles(s.dir).viewJournal}.copy`;
    copyFileSync(storeFiles(s.dir).viewJournal, kept);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = out.trim().split(' ')[2]!;

    const reopen = async () => {
      const backend = createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0 });
      return { backend, admin: await login(backend, 'admin', ADMIN_PASSWORD) };
    };
    let b = await reopen();
    try {
      const found = await views(b.admin, ids[1]!);
      expect(found.length).toBe(1);
      expect(found[0]!.at >= before).toBe(true);
      expect(existsSync(storeFiles(s.dir).viewJournal)).toBe(false);
    } finally {
      b.backend.close();
    }
    // As if the process died between moving the views and removing the file.
    copyFileSync(kept, storeFiles(s.dir).viewJournal);
    b = await reopen();
    try {
      expect((await views(b.admin, ids[1]!)).length).toBe(1);
      expect(existsSync(storeFiles(s.dir).viewJournal)).toBe(false);
      expect((await b.admin.call('audit.verify', {})).ok).toBe(true);
    } finally {
      b.backend.close();
    }
  }, 120_000);

  it('a record altered in the file is named in the audit log; the others are written', async () => {
    let b = { backend: createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0 }) };
    const admin = await login(b.backend, 'admin', ADMIN_PASSWORD);
    const holder = rawOpen(s.dir, s.recoveryKey);
    try {
      holder.exec('BEGIN IMMEDIATE');
      for (const id of [ids[2]!, ids[3]!]) expect((await b.backend.dispatch('cases.get', { id }, { session: admin.token })).ok).toBe(true);
      // Closed while the lock is still taken: the views stay in the journal.
      b.backend.close();
      holder.exec('ROLLBACK');
    } finally {
      holder.close();
    }
    // An edit of the file while the store is closed: the first record's ciphertext changed.
    const file = storeFiles(s.dir).viewJournal;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = `${lines[1]!.slice(0, 20)}${lines[1]![20] === 'A' ? 'B' : 'A'}${lines[1]!.slice(21)}`;
    writeFileSync(file, lines.join('\n'));
    b = { backend: createBackend({ storeDir: s.dir, host: 'test', sweepEveryMs: 0 }) };
    try {
      const a = await login(b.backend, 'admin', ADMIN_PASSWORD);
      expect((await views(a, ids[2]!)).length).toBe(0);
      expect((await views(a, ids[3]!)).length).toBe(1);
      const damaged = (await a.call('audit.list', { action: 'privacy.viewJournalDamaged', limit: 5 })).entries;
      expect(damaged.map((e) => e.detail)).toEqual([{ records: 1 }]);
    } finally {
      b.backend.close();
    }
  });
});

// A bulk load reads without checking page HMACs (see openForImport): it first verifies every page of the
// store on a checking connection, so a page altered on disk stops it before anything is written.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, openSync, readSync, writeSync, closeSync, writeFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { openEncrypted } from '../../db/open.js';
import { runImport } from '../../core/import/pipeline.js';
import type { WorkerMessage, WorkerRequest } from '../../core/import/protocol.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});


/** A store with a lender, and 2,000 users whose rows fill several pages the import itself never reads. */
function makeStoreFile(): { dir: string; dbFile: string; key: Buffer; userLeaf: number; pageSize: number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-bulk-verify-'));
  dirs.push(dir);
  const dbFile = path.join(dir, 'agency.db');
  const key = randomBytes(32);
  const db = openEncrypted(dbFile, Buffer.from(key), { create: true });
  const now = '2026-12-01T09:00:00.000Z';
  const user = db.prepare("INSERT INTO users (id, username, display_name, role, created_at, updated_at) VALUES (?, ?, ?, 'collector', ?, ?)");
  db.transaction(() => {
    for (let i = 1; i <= 2000; i++) user.run(i, `user${i}`, `催收员 ${i} ${'备注'.repeat(20)}`, now, now);
  })();
  db.prepare("INSERT INTO lenders (id, code, name, created_at, updated_at) VALUES (1, 'L1', 'Lender', ?, ?)").run(now, now);
  // The last leaf of users: the import looks up user 1 only (first leaf).
  const userLeaf = db.prepare("SELECT max(pageno) FROM dbstat WHERE name = 'users' AND pagetype = 'leaf'").pluck().get() as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  return { dir, dbFile, key, userLeaf, pageSize };
}

function request(dbFile: string, key: Buffer, csv: string): WorkerRequest {
  return {
    mode: 'import',
    dbFile,
    keyHex: key.toString('hex'),
    filePath: csv,
    fileName: 'placement.csv',
    actor: 'user1',
    host: 'test',
    settings: { lenderId: 1, lenderCode: 'L1', rejectPolicy: 'skip_rows', mapping: {}, templateName: null, placementDate: '2026-12-01', amountPolicy: 'principal_difference', today: '2026-12-01' },
    batch: { batchNo: 'B1', termEndDate: null, importedBy: 1, now: '2026-12-01T10:00:00.000Z', dryRun: false, saveTemplateAs: null, placementDateGiven: true, batchNoGiven: true },
  };
}

async function importFile(req: WorkerRequest): Promise<WorkerMessage[]> {
  const posted: WorkerMessage[] = [];
  await runImport(req, (m) => posted.push(m));
  return posted;
}

function flipByte(file: string, offset: number): void {
  const fd = openSync(file, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, offset);
  b[0] = b[0]! ^ 0x01;
  writeSync(fd, b, 0, 1, offset);
  closeSync(fd);
}

describe('bulk import and page integrity', () => {
  it('imports into an intact store, and refuses one with an altered page the import would never read', async () => {
    const good = makeStoreFile();
    const csv = path.join(good.dir, 'placement.csv');
    writeFileSync(csv, toCsv([PLACEMENT_HEADERS, ...makeRows(300, 7)]));
    const posted = await importFile(request(good.dbFile, good.key, csv));
    const done = posted.find((m) => m.type === 'imported');
    expect(done && done.type === 'imported' && done.result.imported).toBe(300);

    const bad = makeStoreFile();
    flipByte(bad.dbFile, (bad.userLeaf - 1) * bad.pageSize + bad.pageSize / 2);
    await expect(importFile(request(bad.dbFile, bad.key, csv))).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    // Nothing was written: no batch, no case (these pages are intact and still read).
    const db = openEncrypted(bad.dbFile, Buffer.from(bad.key), { migrate: false, quickCheck: false });
    expect(db.prepare('SELECT count(*) FROM cases').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM batches').pluck().get()).toBe(0);
    db.close();
  });
});

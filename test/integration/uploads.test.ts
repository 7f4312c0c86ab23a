// Uploads (the web host's files to import) hold personal data in the clear: none outlives its use (issue 17,
// finding 5). Removed once imported, after UPLOAD_IDLE_MS unused, when the last session ends, and at start.
import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { makeStore, removeDir, login, tempDir, ADMIN_PASSWORD, type TestStore } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { sweepUploads, uploadPath, uploadsDir, UPLOAD_IDLE_MS } from '../../core/import/uploads.js';
import { createBackend } from '../../core/backend.js';
import { sweepSpooledSheets } from '../../core/import/temp-sweep.js';
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { receiveUpload } from '../../web/upload-stream.js';

let s: TestStore | null = null;
afterEach(() => {
  if (s) {
    s.close();
    removeDir(s.dir);
  }
  s = null;
});

/** Stages `text` as the hosts do: sealed under the upload's key on its way to disk. */
const upload = async (st: TestStore, text: string) => {
  const target = st.backend.newUpload(st.admin.token);
  expect((await receiveUpload(Readable.from([Buffer.from(text)]), target)).status).toBe(200);
  return target;
};

describe('uploads', () => {
  it('are removed after UPLOAD_IDLE_MS without use; using one restarts its clock', async () => {
    s = await makeStore();
    const lenderId = (await s.admin.call('lenders.create', { code: 'UP', name: '上传' })).id;
    const a = await upload(s, toCsv([PLACEMENT_HEADERS, ...makeRows(3, 5)]));
    const b = await upload(s, 'unused');
    const t0 = Date.now();
    expect(sweepUploads(s.dir, UPLOAD_IDLE_MS, t0 + UPLOAD_IDLE_MS - 5_000)).toBe(0);
    // A preview uses a; b stays untouched.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await s.admin.call('import.preview', { lenderId, file: { uploadId: a.uploadId, name: 'a.csv' } })).validRows).toBe(3);
    expect(sweepUploads(s.dir, UPLOAD_IDLE_MS, t0 + UPLOAD_IDLE_MS + 500)).toBe(1);
    expect(existsSync(b.path)).toBe(false);
    expect(existsSync(a.path)).toBe(true);
    expect(() => uploadPath(s!.dir, b.uploadId)).toThrow(/upload it again/);
  });

  it('are all removed once the store locks (no session can use them), and at start', async () => {
    s = await makeStore();
    const dir = s.dir;
    s.close();
    // A backend whose sweeper runs often; the store locks when its last session ends.
    const backend = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 50 });
    s = { ...s, backend, admin: await login(backend, 'admin', ADMIN_PASSWORD), close: () => backend.close() };
    const a = await upload(s, 'personal data');
    await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(a.path)).toBe(true); // fresh and the store is open: kept
    await s.admin.call('auth.logout', {});
    await new Promise((r) => setTimeout(r, 200));
    expect(readdirSync(uploadsDir(dir))).toEqual([]);
    // A crash leaves uploads behind: the next start removes them.
    backend.close();
    mkdirSync(uploadsDir(dir), { recursive: true });
    writeFileSync(`${uploadsDir(dir)}/left-by-a-crash-0000`, 'personal data');
    const again = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 0 });
    s = { ...s, backend: again, close: () => again.close() };
    expect(readdirSync(uploadsDir(dir))).toEqual([]);
  });
});

describe('an upload whose key this process does not hold', () => {
  it('(written before a restart) is unreadable: refused as gone, and removed', async () => {
    s = await makeStore();
    const lenderId = (await s.admin.call('lenders.create', { code: 'UK', name: '无钥' })).id;
    mkdirSync(uploadsDir(s.dir), { recursive: true });
    const orphan = 'left-by-an-earlier-process-0000';
    writeFileSync(`${uploadsDir(s.dir)}/${orphan}`, toCsv([PLACEMENT_HEADERS, ...makeRows(3, 6)]));
    expect(await s.admin.error('import.preview', { lenderId, file: { uploadId: orphan, name: 'x.csv' } })).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/upload it again/) });
    expect(readdirSync(uploadsDir(s.dir))).toEqual([]);
  });
});

describe('worksheets spooled to the temp folder by older versions', () => {
  it('are removed when their process is gone; nothing else is touched', () => {
    const tmp = tempDir('agencydesk-spool-');
    try {
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
      const sheet = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>张三</t></is></c></row>';
      writeFileSync(`${tmp}/tmp-${dead}-luhfjXg0mvxb`, sheet); // exceljs's name: tmp-<pid>-<12 characters>
      writeFileSync(`${tmp}/tmp-${process.pid}-HyhIpLSsoW8M`, sheet); // a live process's: still in use
      writeFileSync(`${tmp}/tmp-${dead}-aaaaaaaaaaaa`, 'someone else\'s notes'); // not a worksheet
      writeFileSync(`${tmp}/keep.xml`, sheet);
      expect(sweepSpooledSheets(tmp)).toEqual([`${tmp}/tmp-${dead}-luhfjXg0mvxb`]);
      expect(readdirSync(tmp).sort()).toEqual([`keep.xml`, `tmp-${dead}-aaaaaaaaaaaa`, `tmp-${process.pid}-HyhIpLSsoW8M`].sort());
    } finally {
      removeDir(tmp);
    }
  });
});

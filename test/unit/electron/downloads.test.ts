// The desktop app's downloads: the will-download policy (only the page's own blobs, with a save dialog) and
// "Save .zip…" for a report package (the backend names the package, the user the destination).
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allowDownload, createDownloadHandler, saveDialogOptions } from '../../../electron/downloads.js';
import { createSavePackageHandler, type SavePackageDeps } from '../../../electron/save-package.js';
import { zipFolder } from '../../../core/reports/zip-folder.js';

describe('will-download', () => {
  it('allows only blob: URLs of app://agencydesk from the main window', () => {
    expect(allowDownload('blob:app://agencydesk/1234', 7, 7)).toBe(true);
    expect(allowDownload('blob:app://agencydesk/1234', 8, 7)).toBe(false);
    expect(allowDownload('blob:app://agencydesk/1234', null, null)).toBe(false);
    expect(allowDownload('https://example.com/a.zip', 7, 7)).toBe(false);
    expect(allowDownload('blob:null/1234', 7, 7)).toBe(false);
    expect(allowDownload('blob:app://agencydesk.evil/1234', 7, 7)).toBe(false);
    expect(allowDownload('data:text/csv,1', 7, 7)).toBe(false);
  });

  it('suggests the file name in the Downloads folder, never a path the page chose', () => {
    expect(saveDialogOptions('B-001-被拒行.csv', '/home/u/Downloads')).toEqual({
      title: 'B-001-被拒行.csv',
      defaultPath: path.join('/home/u/Downloads', 'B-001-被拒行.csv'),
      filters: [{ name: 'CSV', extensions: ['csv'] }, { name: '*', extensions: ['*'] }],
    });
    expect(saveDialogOptions('../../etc/passwd', '/d').defaultPath).toBe(path.join('/d', 'passwd'));
    expect(saveDialogOptions('..\\..\\x.pem', '/d').defaultPath).toBe(path.join('/d', 'x.pem'));
  });

  it('cancels what it does not allow and sets the dialog on what it does', () => {
    const handler = createDownloadHandler({ mainWebContentsId: () => 3, downloadsDir: () => '/dl' });
    const item = { getURL: () => 'blob:app://agencydesk/x', getFilename: () => 'agency-public.pem', setSaveDialogOptions: vi.fn() };
    const ev = { preventDefault: vi.fn() };
    handler(ev, item, { id: 3 });
    expect(ev.preventDefault).not.toHaveBeenCalled();
    expect(item.setSaveDialogOptions).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: path.join('/dl', 'agency-public.pem') }));
    const ev2 = { preventDefault: vi.fn() };
    handler(ev2, { ...item, getURL: () => 'http://127.0.0.1:4319/x' }, { id: 3 });
    expect(ev2.preventDefault).toHaveBeenCalled();
  });
});

describe('save package', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-savepkg-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  function deps(over: Partial<SavePackageDeps> = {}) {
    const pkgDir = path.join(tmp, 'PAYD-B-001-20261123T020000');
    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(path.join(pkgDir, 'manifest.json'), '{}\n');
    writeFileSync(path.join(pkgDir, 'status-report.csv'), '\uFEFFa,b\r\n');
    const d = {
      isTrustedSender: vi.fn(() => true),
      callBackend: vi.fn(async () => ({ ok: true as const, value: { path: pkgDir, zip: false, fileName: 'PAYD-B-001-20261123T020000.zip' } })),
      showSaveDialog: vi.fn(async () => ({ canceled: false, filePath: path.join(tmp, 'saved.zip') })),
      copyFile: vi.fn((a: string, b: string) => copyFile(a, b)),
      zipFolder: vi.fn(zipFolder),
      downloadsDir: () => '/dl',
      ...over,
    };
    return d;
  }
  const sender = { frameUrl: 'app://agencydesk/index.html', webContentsId: 1 };

  it('asks the backend for the package with the session, then zips the folder where the user chose', async () => {
    const d = deps();
    const r = await createSavePackageHandler(d)(sender, { exportId: 5, session: 'tok' });
    expect(r).toEqual({ ok: true, value: { saved: true, path: path.join(tmp, 'saved.zip') } });
    expect(d.callBackend).toHaveBeenCalledWith({ method: 'reports.package', input: { exportId: 5 }, session: 'tok' });
    expect(d.showSaveDialog).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: path.join('/dl', 'PAYD-B-001-20261123T020000.zip') }));
    const entries = unzipSync(readFileSync(path.join(tmp, 'saved.zip')));
    expect(Object.keys(entries).sort()).toEqual(['PAYD-B-001-20261123T020000/manifest.json', 'PAYD-B-001-20261123T020000/status-report.csv']);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(entries['PAYD-B-001-20261123T020000/status-report.csv'])).toBe('\uFEFFa,b\r\n');
  });

  it('copies a .zip package as it is; a cancelled dialog saves nothing', async () => {
    const zip = path.join(tmp, 'p.zip');
    writeFileSync(zip, 'PK-bytes');
    const d = deps({ callBackend: vi.fn(async () => ({ ok: true as const, value: { path: zip, zip: true, fileName: 'p.zip' } })) });
    expect(await createSavePackageHandler(d)(sender, { exportId: 1, session: 's' })).toMatchObject({ ok: true, value: { saved: true } });
    expect(readFileSync(path.join(tmp, 'saved.zip'), 'utf8')).toBe('PK-bytes');
    const c = deps({ showSaveDialog: vi.fn(async () => ({ canceled: true })) });
    expect(await createSavePackageHandler(c)(sender, { exportId: 1, session: 's' })).toEqual({ ok: true, value: { saved: false, path: null } });
    expect(c.zipFolder).not.toHaveBeenCalled();
  });

  it('refuses untrusted senders and odd input before asking anyone; passes on the backend\'s refusal', async () => {
    const d = deps({ isTrustedSender: vi.fn(() => false) });
    expect(await createSavePackageHandler(d)(sender, { exportId: 1, session: 's' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const e = deps();
    const h = createSavePackageHandler(e);
    for (const bad of [{ exportId: '1', session: 's' }, { exportId: 1 }, { exportId: 1, session: 's', path: '/etc/passwd' }, null]) {
      expect(await h(sender, bad)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    }
    expect(e.callBackend).not.toHaveBeenCalled();
    const f = deps({ callBackend: vi.fn(async () => ({ ok: false as const, error: { code: 'FORBIDDEN' as const, message: 'no' } })) });
    expect(await createSavePackageHandler(f)(sender, { exportId: 1, session: 's' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(f.showSaveDialog).not.toHaveBeenCalled();
  });
});

// "Save .zip…" on a desk in office mode: the package comes from the office server (no local backend, no
// local file), its name from the server's headers reduced to a bare file name, its bytes written only where
// the user chose, and a download the server cut leaves neither the .zip nor its .part behind. The whole path
// against a real served store is in test/integration/serve-desktop.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import https from 'node:https';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSavePackageHandler, type SavePackageDeps } from '../../../electron/save-package.js';
import { createOfficeForwarder, fileNameFromDisposition, type OfficePackage } from '../../../electron/office-server.js';
import { loadTlsIdentity } from '../../../server/tls.js';
import type { Envelope } from '../../../shared/contract/envelope.js';

const sender = { frameUrl: 'app://agencydesk/index.html', webContentsId: 1 };
let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-savepkg-office-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function deps(openPackage: (id: number, session: string) => Promise<Envelope<OfficePackage>>, dialog: { canceled: boolean; filePath?: string } = { canceled: false, filePath: path.join(tmp, 'saved.zip') }) {
  return {
    isTrustedSender: vi.fn(() => true),
    callBackend: vi.fn(async () => ({ ok: false as const, error: { code: 'INTERNAL' as const, message: 'no local store' } })),
    showSaveDialog: vi.fn(async () => dialog),
    copyFile: vi.fn(async () => {}),
    zipFolder: vi.fn(async () => {}),
    downloadsDir: () => '/dl',
    office: () => ({ openPackage: vi.fn(openPackage) }),
  } satisfies SavePackageDeps;
}

function fakePackage(over: Partial<OfficePackage> = {}) {
  const saved: string[] = [];
  let discarded = 0;
  const pkg: OfficePackage = { fileName: 'WEB-1.zip', saveTo: async (d) => void saved.push(d), discard: () => void discarded++, ...over };
  return { pkg, saved, discarded: () => discarded };
}

describe('save package on a desk in office mode', () => {
  it('downloads from the server with the session and saves where the user chose; no local backend or file is touched', async () => {
    const f = fakePackage();
    const open = vi.fn(async () => ({ ok: true as const, value: f.pkg }));
    const d = deps(open);
    const r = await createSavePackageHandler(d)(sender, { exportId: 7, session: 'tok' });
    expect(r).toEqual({ ok: true, value: { saved: true, path: path.join(tmp, 'saved.zip') } });
    expect(open).toHaveBeenCalledWith(7, 'tok');
    expect(f.saved).toEqual([path.join(tmp, 'saved.zip')]);
    expect(d.showSaveDialog).toHaveBeenCalledWith(expect.objectContaining({ title: 'WEB-1.zip', defaultPath: path.join('/dl', 'WEB-1.zip') }));
    expect(d.callBackend).not.toHaveBeenCalled();
    expect(d.copyFile).not.toHaveBeenCalled();
    expect(d.zipFolder).not.toHaveBeenCalled();
  });

  it('drops the download when the user cancels; passes on the server’s refusal without a dialog; reports a failed save', async () => {
    const f = fakePackage();
    const cancelled = deps(async () => ({ ok: true, value: f.pkg }), { canceled: true });
    expect(await createSavePackageHandler(cancelled)(sender, { exportId: 7, session: 'tok' })).toEqual({ ok: true, value: { saved: false, path: null } });
    expect(f.discarded()).toBe(1);
    expect(f.saved).toEqual([]);

    const refused = deps(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'Your role (collector) may not do this.' } }));
    expect(await createSavePackageHandler(refused)(sender, { exportId: 7, session: 'tok' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(refused.showSaveDialog).not.toHaveBeenCalled();

    const broken = fakePackage({ saveTo: async () => Promise.reject(new Error('disk full')) });
    const r = await createSavePackageHandler(deps(async () => ({ ok: true, value: broken.pkg })))(sender, { exportId: 7, session: 'tok' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(r.ok ? '' : r.error.message).toContain('disk full');
  });

  it('still refuses untrusted windows and odd input before asking the server', async () => {
    const open = vi.fn(async () => ({ ok: true as const, value: fakePackage().pkg }));
    const d = { ...deps(open), isTrustedSender: vi.fn(() => false) };
    expect(await createSavePackageHandler(d)(sender, { exportId: 7, session: 'tok' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await createSavePackageHandler(deps(open))(sender, { exportId: '7', session: 'tok' })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(open).not.toHaveBeenCalled();
  });

  it('takes only a bare file name from the server’s header', () => {
    expect(fileNameFromDisposition(`attachment; filename="a_b.zip"; filename*=UTF-8''${encodeURIComponent('平安-1.zip')}`, 'x.zip')).toBe('平安-1.zip');
    expect(fileNameFromDisposition('attachment; filename="../../.bashrc"', 'x.zip')).toBe('.bashrc');
    expect(fileNameFromDisposition(`attachment; filename*=UTF-8''${encodeURIComponent('..\\..\\evil.zip')}`, 'x.zip')).toBe('evil.zip');
    expect(fileNameFromDisposition('attachment; filename=".."', 'x.zip')).toBe('x.zip');
    expect(fileNameFromDisposition(undefined, 'package-3.zip')).toBe('package-3.zip');
  });

  it('over a pinned connection: a package the server cuts halfway leaves no .zip and no .part', async () => {
    const tls = await loadTlsIdentity(path.join(tmp, 'store'));
    const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      if (req.url === '/api/package/1') {
        res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': '100000', 'Content-Disposition': 'attachment; filename="P-1.zip"' });
        res.write(Buffer.alloc(1000, 1));
        setTimeout(() => res.destroy(), 50);
      } else if (req.url === '/api/package/2') {
        res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Disposition': 'attachment; filename="P-2.zip"' });
        res.end(Buffer.from('PK whole'));
      } else {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Please log in.' } }));
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const office = createOfficeForwarder({ url: `https://127.0.0.1:${port}`, fingerprint: tls.fingerprint });
    try {
      const cut = await office.openPackage(1, 'tok');
      expect(cut.ok && cut.value.fileName).toBe('P-1.zip');
      const dest = path.join(tmp, 'cut.zip');
      await expect(cut.ok ? cut.value.saveTo(dest) : Promise.resolve()).rejects.toThrow();
      expect(existsSync(dest)).toBe(false);
      expect(readdirSync(tmp).filter((f) => f.endsWith('.part'))).toEqual([]);

      const whole = await office.openPackage(2, 'tok');
      const dest2 = path.join(tmp, 'whole.zip');
      if (whole.ok) await whole.value.saveTo(dest2);
      expect(readFileSync(dest2, 'utf8')).toBe('PK whole');

      expect(await office.openPackage(3, 'tok')).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      // A server that is not the pinned one: refused as a pin failure, nothing downloaded.
      const wrong = createOfficeForwarder({ url: `https://127.0.0.1:${port}`, fingerprint: 'AB'.repeat(32) });
      expect(await wrong.openPackage(2, 'tok')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      wrong.close();
    } finally {
      office.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

// "Connect to an office server" in the main process: only the app's own window may ask; the fingerprint the
// user confirmed is checked against what the server shows before it is pinned; the choice is one file in
// the user-data folder; switching restarts the app. The forwarder itself is tested over real TLS in
// test/integration/team-server.test.ts.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOfficeIpc } from '../../../electron/office-ipc.js';
import { normaliseServerUrl, OFFICE_FILE, readOfficeConfig } from '../../../electron/office-server.js';

const FP = Array.from({ length: 32 }, (_, i) => (i * 7 + 3).toString(16).padStart(2, '0').toUpperCase()).join(':');
const OTHER = FP.replace(/^../, '00');
const trusted = { frameUrl: 'app://agencydesk/index.html', webContentsId: 1 };

function setup(shows = FP) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-office-'));
  let relaunched = 0;
  const ipc = createOfficeIpc({
    isTrustedSender: (url, id) => url === trusted.frameUrl && id === 1,
    userData: () => dir,
    relaunch: () => void relaunched++,
    forwarder: () => null,
    probe: async () => shows,
  });
  return { dir, ipc, relaunched: () => relaunched, done: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('office server (desktop client)', () => {
  it('normalises addresses people type, and refuses anything but https', () => {
    expect(normaliseServerUrl('192.168.1.20:8443')).toBe('https://192.168.1.20:8443');
    expect(normaliseServerUrl(' https://srv.local:8443/some/path ')).toBe('https://srv.local:8443');
    expect(normaliseServerUrl('http://srv:8443')).toBeNull();
    expect(normaliseServerUrl('https://user:pw@srv:8443')).toBeNull();
    expect(normaliseServerUrl('')).toBeNull();
  });

  it('refuses a window that is not the app’s own', async () => {
    const s = setup();
    try {
      const r = await s.ipc.office({ frameUrl: 'https://evil.example/', webContentsId: 1 }, { op: 'connect', url: 'https://srv:8443', fingerprint: FP });
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(existsSync(path.join(s.dir, OFFICE_FILE))).toBe(false);
      expect((await s.ipc.upload({ frameUrl: null, webContentsId: 1 }, { path: '/etc/passwd' })).ok).toBe(false);
    } finally {
      s.done();
    }
  });

  it('shows the server’s fingerprint, pins only a confirmed one that the server still shows, then restarts', async () => {
    const s = setup();
    try {
      expect(await s.ipc.office(trusted, { op: 'status' })).toEqual({ ok: true, value: { mode: 'local' } });
      expect(await s.ipc.office(trusted, { op: 'probe', url: 'srv.local:8443' })).toEqual({ ok: true, value: { url: 'https://srv.local:8443', fingerprint: FP } });
      // A fingerprint the server does not show (the admin's, while someone sits in between) is refused.
      const wrong = await s.ipc.office(trusted, { op: 'connect', url: 'https://srv.local:8443', fingerprint: OTHER });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(s.relaunched()).toBe(0);
      expect(readOfficeConfig(s.dir)).toBeNull();
      // Typed without colons, in lower case: the same fingerprint.
      const ok = await s.ipc.office(trusted, { op: 'connect', url: 'https://srv.local:8443', fingerprint: FP.replace(/:/g, '').toLowerCase() });
      expect(ok).toEqual({ ok: true, value: { mode: 'office', url: 'https://srv.local:8443', fingerprint: FP } });
      expect(s.relaunched()).toBe(1);
      expect(readOfficeConfig(s.dir)).toEqual({ url: 'https://srv.local:8443', fingerprint: FP });
      expect(await s.ipc.office(trusted, { op: 'status' })).toEqual({ ok: true, value: { mode: 'office', url: 'https://srv.local:8443', fingerprint: FP } });
      expect(await s.ipc.office(trusted, { op: 'disconnect' })).toEqual({ ok: true, value: { mode: 'local' } });
      expect(s.relaunched()).toBe(2);
      expect(readOfficeConfig(s.dir)).toBeNull();
    } finally {
      s.done();
    }
  });

  it('treats a damaged office-server.json as not connected (never as another server)', () => {
    const s = setup();
    try {
      writeFileSync(path.join(s.dir, OFFICE_FILE), '{"url":"https://srv:8443","fingerprint":"not a fingerprint"}');
      expect(readOfficeConfig(s.dir)).toBeNull();
      writeFileSync(path.join(s.dir, OFFICE_FILE), '{trunc');
      expect(readOfficeConfig(s.dir)).toBeNull();
      expect(readFileSync(path.join(s.dir, OFFICE_FILE), 'utf8')).toBe('{trunc');
    } finally {
      s.done();
    }
  });
});

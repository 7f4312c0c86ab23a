// `agencydesk serve --check` (issue 16, server operations): the configuration a service manager would start, checked
// without listening — the store is there, the certificate loads and is in date and matches its key, the address
// can be listened on, the UI is built. Exit 0 only when all of that holds; each problem said plainly.
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';
import { main } from '../../cli/run.js';
import { makeStore, removeDir, tempDir } from '../helpers/store.js';

let dir: string;
let other: string;

beforeAll(async () => {
  const s = await makeStore();
  dir = s.dir;
  s.close();
  other = tempDir('agencydesk-check-');
});
afterAll(() => {
  removeDir(dir);
  removeDir(other);
});

/** Runs the CLI in this process; what it printed on stdout and stderr. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += `${a.join(' ')}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += `${a.join(' ')}\n`));
  try {
    const code = await main(args, { ...process.env, AGENCYDESK_PASSWORD: '' });
    return { code, out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });

describe('agencydesk serve --check', () => {
  it('reports the configuration, makes the certificate as a serve would, and listens on nothing', async () => {
    const port = await freePort();
    const r = await cli('serve', '--store', dir, '--listen', `127.0.0.1:${port}`, '--check', '--json');
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out.trim()) as Record<string, unknown>;
    const certPath = path.join(dir, 'tls', 'cert.pem');
    expect(report).toMatchObject({ store: dir, certificate: certPath, selfSigned: true, listen: `127.0.0.1:${port}`, problems: [] });
    // The same fingerprint openssl prints, and the key only its owner can read.
    const openssl = execFileSync('openssl', ['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    expect(report.fingerprint).toBe(openssl.trim().split('=')[1]);
    expect(statSync(path.join(dir, 'tls', 'key.pem')).mode & 0o777).toBe(0o600);
    expect(new Date(report.validTo as string).getTime()).toBeGreaterThan(Date.now() + 4 * 365 * 86_400_000);
    expect(await listening(port)).toBe(false);
    // Without --json: the same, for a person.
    const text = await cli('serve', '--store', dir, '--listen', `127.0.0.1:${port}`, '--check');
    expect(text.code).toBe(0);
    expect(text.out).toContain(`SHA256 ${report.fingerprint as string}`);
  });

  it('says when the address is taken (another server already runs) and exits 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await cli('serve', '--store', dir, '--listen', `127.0.0.1:${port}`, '--check', '--json');
      expect(r.code).toBe(1);
      const report = JSON.parse(r.out.trim()) as { problems: string[] };
      expect(report.problems.join('\n')).toMatch(new RegExp(`${port}.*in use`));
    } finally {
      blocker.close();
    }
  });

  it('refuses an expired certificate of the agency, and a key that is not the certificate’s', async () => {
    const port = await freePort();
    const old = await generate([{ name: 'commonName', value: 'old.agency.example' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate: new Date('2020-01-01'), notAfterDate: new Date('2021-01-01') });
    const fresh = await generate([{ name: 'commonName', value: 'new.agency.example' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' });
    for (const [name, text] of [['old.pem', old.cert], ['old-key.pem', old.private], ['new.pem', fresh.cert], ['new-key.pem', fresh.private]] as const) writeFileSync(path.join(other, name), text);
    const expired = await cli('serve', '--store', dir, '--listen', `127.0.0.1:${port}`, '--cert', path.join(other, 'old.pem'), '--key', path.join(other, 'old-key.pem'), '--check', '--json');
    expect(expired.code).toBe(1);
    const report = JSON.parse(expired.out.trim()) as { selfSigned: boolean; problems: string[] };
    expect(report.selfSigned).toBe(false);
    expect(report.problems.join('\n')).toMatch(/expired on 2021-01-01/);
    const mismatch = await cli('serve', '--store', dir, '--listen', `127.0.0.1:${port}`, '--cert', path.join(other, 'new.pem'), '--key', path.join(other, 'old-key.pem'), '--check');
    expect(mismatch.code).toBe(1);
    expect(mismatch.err).toMatch(/is not the key of/);
    expect((await cli('serve', '--store', dir, '--listen', `127.0.0.1:${port}`, '--cert', path.join(other, 'new.pem'), '--check')).err).toMatch(/--cert and --key go together/);
    // The agency's own pair in date: accepted, its fingerprint the one openssl prints for it.
    const own = await cli('serve', '--store', dir, '--listen', `127.0.0.1:${port}`, '--cert', path.join(other, 'new.pem'), '--key', path.join(other, 'new-key.pem'), '--check', '--json');
    expect(own.code, own.out).toBe(0);
    const ownReport = JSON.parse(own.out.trim()) as { selfSigned: boolean; fingerprint: string; certificate: string };
    expect(ownReport).toMatchObject({ selfSigned: false, certificate: path.join(other, 'new.pem') });
    const openssl = execFileSync('openssl', ['x509', '-in', path.join(other, 'new.pem'), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    expect(ownReport.fingerprint).toBe(openssl.trim().split('=')[1]);
  });

  it('says there is no store where it was pointed', async () => {
    const r = await cli('serve', '--store', path.join(other, 'nothing-here'), '--check');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/NOT_INITIALIZED/);
  });
});

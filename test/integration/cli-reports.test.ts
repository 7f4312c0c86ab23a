// `agencydesk export` then `agencydesk verify`, as an agency's script and a lender's clerk would run them:
// the verifier needs no store, only the package and (optionally) the agency's public key.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import path from 'node:path';
import { removeDir, tempDir } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const BIN = path.resolve('bin/agencydesk.mjs');
const PW = 'cli reports pw 1';
let store: string;
let out: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, AGENCYDESK_PASSWORD: PW, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  store = tempDir();
  out = tempDir('agencydesk-cli-reports-out-');
  expect(cli(['init', '--store', store], { AGENCYDESK_NEW_PASSWORD: PW }).code).toBe(0);
  expect(cli(['lender', 'add', '--store', store, '--code', 'PAYD', '--name', '平安i贷']).code).toBe(0);
  const file = path.join(store, 'placement.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(25, 5)]));
  expect(cli(['import', '--store', store, '--lender', 'PAYD', '--batch', 'B-001', file]).code).toBe(0);
}, 60_000);
afterAll(() => {
  removeDir(store);
  removeDir(out);
});

describe('agencydesk export / verify', () => {
  it('exports a batch as a signed .zip and prints path, files and fingerprint', () => {
    const r = cli(['export', '--store', store, '--lender', 'PAYD', '--batch', 'B-001', '--out', path.join(out, 'report.zip'), '--json']);
    expect(r.code, r.err).toBe(0);
    const v = JSON.parse(r.out) as { path: string; files: { name: string; rows: number | null }[]; fingerprint: string };
    expect(v.path.endsWith('.zip')).toBe(true);
    expect(v.files.find((f) => f.name === 'status-report.csv')!.rows).toBe(25);
    expect(v.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const ok = cli(['verify', v.path, '--json']);
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ valid: true, signer: { fingerprint: v.fingerprint } });
  });

  it('verifies a folder against the key the lender holds; a changed file makes it exit 1 naming the file', () => {
    const r = JSON.parse(cli(['export', '--store', store, '--lender', 'PAYD', '--from', '2020-01-01', '--to', '2026-01-01', '--formats', 'csv', '--out', out, '--json']).out) as { path: string };
    const pem = path.join(out, 'agency.pem');
    writeFileSync(pem, readFileSync(path.join(r.path, 'agency-public.pem')));
    const ok = cli(['verify', r.path, '--pubkey', pem]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/^valid, signed with the key in .*agency\.pem, fingerprint [0-9a-f]{64}/);
    const file = path.join(r.path, 'repayments.csv');
    writeFileSync(file, `${readFileSync(file, 'utf8')}PAYD-1,2026-01-01,1\r\n`);
    const bad = cli(['verify', r.path, '--pubkey', pem]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('repayments.csv: changed: its SHA-256 differs from the manifest');
  });

  it('does not call a package re-signed by some other key "signed by" anyone; with --store, names the agency only for its own key', () => {
    const r = JSON.parse(cli(['export', '--store', store, '--lender', 'PAYD', '--batch', 'B-001', '--formats', 'csv', '--out', out, '--json']).out) as { path: string; fingerprint: string };
    // The genuine package, checked against the store's keys.
    const own = cli(['verify', r.path, '--store', store, '--json']);
    expect(own.code, own.err).toBe(0);
    expect(JSON.parse(own.out)).toMatchObject({ valid: true, signer: { kind: 'agency' }, trustedKey: 'agency' });
    expect(cli(['verify', r.path, '--store', store]).out).toMatch(/^valid, signed by .+, key [0-9a-f]{64}/);

    // A forger rewrites the package consistently under a fresh key of their own, keeping the agency's name.
    const forged = path.join(out, 'forged');
    cpSync(r.path, forged, { recursive: true });
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const fp = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    const sha = (name: string) => createHash('sha256').update(readFileSync(path.join(forged, name))).digest('hex');
    writeFileSync(path.join(forged, 'agency-public.pem'), pem);
    const sums = readFileSync(path.join(forged, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64}(?= {2}agency-public\.pem$)/m, sha('agency-public.pem'));
    writeFileSync(path.join(forged, 'SHA256SUMS'), sums);
    const m = JSON.parse(readFileSync(path.join(forged, 'manifest.json'), 'utf8')) as { files: { name: string; sha256: string; bytes: number }[]; signingKey: { fingerprint: string } };
    for (const f of m.files) if (f.name === 'agency-public.pem' || f.name === 'SHA256SUMS') Object.assign(f, { sha256: sha(f.name), bytes: readFileSync(path.join(forged, f.name)).length });
    m.signingKey.fingerprint = fp;
    writeFileSync(path.join(forged, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
    writeFileSync(path.join(forged, 'SHA256SUMS.sig'), sign(null, readFileSync(path.join(forged, 'SHA256SUMS')), privateKey));
    writeFileSync(path.join(forged, 'manifest.sig'), sign(null, readFileSync(path.join(forged, 'manifest.json')), privateKey));

    const plain = cli(['verify', forged]);
    expect(plain.code, plain.err).toBe(0); // intact under its own key…
    expect(plain.out).not.toMatch(/signed by/); // …but nobody is named as its signer
    expect(plain.out).toContain(`NOT checked against a trusted key`);
    expect(plain.out).toContain(fp);
    expect(JSON.parse(cli(['verify', forged, '--json']).out)).toMatchObject({ valid: true, signer: { kind: 'unknown', fingerprint: fp }, trustedKey: null });
    const withStore = cli(['verify', forged, '--store', store]);
    expect(withStore.out).not.toMatch(/signed by/);
    expect(withStore.out).toContain("neither this agency's key (current or retired) nor a registered lender's");
    // Against the agency's key the lender holds, it fails outright.
    const agencyPem = path.join(out, 'agency-held.pem');
    writeFileSync(agencyPem, readFileSync(path.join(r.path, 'agency-public.pem')));
    expect(cli(['verify', forged, '--pubkey', agencyPem]).code).toBe(1);
  });

  it('a .zip damaged on its way is INVALID naming the unreadable file, exit 1 — never INTERNAL', () => {
    const r = JSON.parse(cli(['export', '--store', store, '--lender', 'PAYD', '--batch', 'B-001', '--formats', 'csv', '--out', path.join(out, 'sent.zip'), '--json']).out) as { path: string };
    const zip = readFileSync(r.path);
    // The status report's compressed bytes: after its name in the local header, up to the next entry.
    const from = zip.indexOf('/status-report.csv') + '/status-report.csv'.length;
    const to = zip.indexOf(Buffer.from('PK\x03\x04', 'latin1'), from);
    let unreadable = 0;
    for (const part of [0.3, 0.5, 0.7]) {
      const bad = Buffer.from(zip);
      bad[from + Math.floor((to - from) * part)]! ^= 0x5a;
      const file = path.join(out, `damaged-${part}.zip`);
      writeFileSync(file, bad);
      const v = cli(['verify', file]);
      expect(v.code, v.err).toBe(1);
      expect(v.err).not.toMatch(/INTERNAL/);
      expect(v.out).toMatch(/^INVALID/);
      expect(v.out).toMatch(/status-report\.csv: (cannot be read|changed)/);
      if (/status-report\.csv: cannot be read .*damaged or incomplete — ask the sender for the package again/.test(v.out)) unreadable++;
    }
    expect(unreadable).toBeGreaterThanOrEqual(1);
    // Cut short on the way: the .zip named, why, and what to do.
    writeFileSync(path.join(out, 'cut.zip'), zip.subarray(0, zip.length >> 1));
    const cut = cli(['verify', path.join(out, 'cut.zip')]);
    expect(cut.code).toBe(1);
    expect(cut.out).toMatch(/cut\.zip: not a package folder or a readable \.zip: damaged, cut short or not a \.zip/);
  });

  it('says plainly what is missing', () => {
    expect(cli(['export', '--store', store, '--lender', 'PAYD', '--out', out]).err).toContain('--batch NO, or --from DATE and --to DATE');
    expect(cli(['verify', path.join(out, 'nothing-here')]).code).toBe(1);
  });
});

// `agencydesk export` then `agencydesk verify`, as an agency's script and a lender's clerk would run them:
// the verifier needs no store, only the package and (optionally) the agency's public key.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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
    expect(ok.out).toMatch(/^valid, signed by AgencyDesk [0-9a-f]{64}/);
    const file = path.join(r.path, 'repayments.csv');
    writeFileSync(file, `${readFileSync(file, 'utf8')}PAYD-1,2026-01-01,1\r\n`);
    const bad = cli(['verify', r.path, '--pubkey', pem]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('repayments.csv: changed: its SHA-256 differs from the manifest');
  });

  it('says plainly what is missing', () => {
    expect(cli(['export', '--store', store, '--lender', 'PAYD', '--out', out]).err).toContain('--batch NO, or --from DATE and --to DATE');
    expect(cli(['verify', path.join(out, 'nothing-here')]).code).toBe(1);
  });
});

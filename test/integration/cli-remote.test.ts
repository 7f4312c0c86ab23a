// `agencydesk --server URL --fingerprint FP import|repayments import FILE`: the file is on the caller's machine,
// the store on the team server. The server reads uploads only (never a path on its own disk), so the CLI
// uploads the file over the pinned connection first; the result is the same as on a local store.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend, type Backend } from '../../core/backend.js';
import { createTeamServer, type TeamServer } from '../../server/app.js';
import { loadTlsIdentity } from '../../server/tls.js';
import { removeDir, tempDir } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const BIN = path.resolve('bin/agencydesk.mjs');
const PW = 'cli remote pw 1';
const run = promisify(execFile);
let store: string;
let files: string;
let backend: Backend;
let server: TeamServer;
let remote: string[];

beforeAll(async () => {
  store = tempDir();
  files = tempDir('agencydesk-cli-remote-');
  const local = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, AGENCYDESK_PASSWORD: PW, ...env }, encoding: 'utf8' });
  expect(local(['init', '--store', store], { AGENCYDESK_NEW_PASSWORD: PW }).status).toBe(0);
  expect(local(['lender', 'add', '--store', store, '--code', 'PAYD', '--name', '平安i贷']).status).toBe(0);
  backend = createBackend({ storeDir: store, host: 'server', sweepEveryMs: 0 });
  const tls = await loadTlsIdentity(store);
  server = await createTeamServer({ backend, tls, staticDir: path.resolve('dist/renderer') });
  const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
  remote = ['--server', `https://127.0.0.1:${new URL(address).port}`, '--fingerprint', tls.fingerprint];
}, 120_000);

afterAll(async () => {
  await server?.app.close();
  backend?.close();
  removeDir(store);
  removeDir(files);
});

// Asynchronous: the server answers from this process meanwhile.
async function cli(args: string[]) {
  try {
    const r = await run(process.execPath, [BIN, ...remote, ...args], { env: { ...process.env, AGENCYDESK_USER: 'admin', AGENCYDESK_PASSWORD: PW }, encoding: 'utf8' });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe('the command line against a team server, with a file of this machine', () => {
  it('imports a placement file and a repayment file by uploading them', async () => {
    const placement = path.join(files, '平安i贷-委案.csv');
    writeFileSync(placement, toCsv([PLACEMENT_HEADERS, ...makeRows(3, 5)]));
    const imp = await cli(['import', '--lender', 'PAYD', '--batch', 'B-R1', placement]);
    expect(imp.code, imp.err).toBe(0);
    expect(imp.out).toMatch(/^Imported 3, updated 0, rejected 0 — batch B-R1/m);

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const repay = path.join(files, 'repay.csv');
    writeFileSync(repay, toCsv([['借据号', '还款金额', '还款日期', '流水号'], ['HT00000001', '100.00', today, 'R1']]));
    const r = await cli(['repayments', 'import', '--lender', 'PAYD', '--json', repay]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ posted: 1, rejected: 0, amountFen: 10_000, file: { fileName: 'repay.csv' } });

    // The batch's file name is the caller's, and the server kept no upload once they were used.
    const batches = JSON.parse((await cli(['call', 'batches.list', '{}'])).out) as { batches: { batchNo: string; sourceName: string }[] };
    expect(batches.batches.find((b) => b.batchNo === 'B-R1')?.sourceName).toBe('平安i贷-委案.csv');
    const uploads = path.join(store, 'uploads');
    expect(existsSync(uploads) ? readdirSync(uploads) : []).toEqual([]);
  }, 120_000);

  it('says clearly when the file is not there, before anything is sent', async () => {
    const r = await cli(['import', '--lender', 'PAYD', path.join(files, 'missing.csv')]);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`agencydesk: BAD_INPUT: No such file: ${path.join(files, 'missing.csv')}`);
  }, 60_000);
});

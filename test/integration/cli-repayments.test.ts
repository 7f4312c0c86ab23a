// `agencydesk repayments import`: a lender's repayment file from the command line — dry run, import with
// matched / posted / rejected rows and reasons, the same file refused twice, and a collector refused.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeDir, tempDir } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const BIN = path.resolve('bin/agencydesk.mjs');
const PW = 'cli repay pw 1';
let store: string;
let file: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, AGENCYDESK_PASSWORD: PW, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  store = tempDir();
  expect(cli(['init', '--store', store], { AGENCYDESK_NEW_PASSWORD: PW }).code).toBe(0);
  expect(cli(['lender', 'add', '--store', store, '--code', 'PAYD', '--name', '平安i贷']).code).toBe(0);
  expect(cli(['user', 'add', '--store', store, '--username', 'wang', '--role', 'collector'], { AGENCYDESK_NEW_PASSWORD: 'wang pw 12345' }).code).toBe(0);
  const placement = path.join(store, 'placement.csv');
  writeFileSync(placement, toCsv([PLACEMENT_HEADERS, ...makeRows(3, 5)]));
  const imp = cli(['import', '--store', store, '--lender', 'PAYD', '--batch', 'B-001', placement]);
  expect(imp.code, imp.err).toBe(0);
  // The placement is dated today (the real clock); the payments are dated today too.
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  file = path.join(store, 'repay.csv');
  writeFileSync(file, toCsv([['借据号', '还款金额', '还款日期', '流水号'], ['HT00000001', '100.00', today, 'R1'], ['HT00000002', '1,5', today, 'R2'], ['NOPE', '1.00', today, 'R3']]));
}, 60_000);
afterAll(() => removeDir(store));

describe('agencydesk repayments import', () => {
  it('--dry-run prints what would happen and writes nothing', () => {
    const r = cli(['repayments', 'import', '--store', store, '--lender', 'payd', '--dry-run', file]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Dry run \(nothing written\): would match 0, post 1, rejected 2 of 3 rows \(¥100\.00\)\.$/m);
    expect(r.out).toMatch(/row 3, 还款金额: /);
    expect(r.out).toMatch(/row 4, 借据号: no case NOPE placed by this lender/);
    const files = JSON.parse(cli(['call', '--store', store, 'repayments.files', '{}']).out);
    expect(files.files).toEqual([]);
  });

  it('imports, prints JSON with every rejection, and refuses the same file twice', () => {
    const r = cli(['repayments', 'import', '--store', store, '--lender', 'PAYD', '--json', file]);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ matched: 0, posted: 1, rejected: 2, totalRows: 3, amountFen: 10_000, dryRun: false, file: { fileName: 'repay.csv', lenderCode: 'PAYD' } });
    expect(out.rejections.map((x: { row: number; column: string }) => [x.row, x.column])).toEqual([[3, '还款金额'], [4, '借据号']]);
    const again = cli(['repayments', 'import', '--store', store, '--lender', 'PAYD', file]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^agencydesk: CONFLICT: This file was already imported for PAYD/);
  });

  it('exits 1 when no row could be used, and refuses a collector and bad arguments', () => {
    const bad = path.join(store, 'bad.csv');
    writeFileSync(bad, toCsv([['借据号', '还款金额', '还款日期'], ['NOPE', '1.00', '2020-01-01']]));
    const none = cli(['repayments', 'import', '--store', store, '--lender', 'PAYD', bad]);
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/Matched 0, posted 0, rejected 1 of 1 rows/);
    const collector = cli(['repayments', 'import', '--store', store, '--lender', 'PAYD', file], { AGENCYDESK_USER: 'wang', AGENCYDESK_PASSWORD: 'wang pw 12345' });
    expect(collector.code).toBe(1);
    expect(collector.err).toMatch(/FORBIDDEN/);
    expect(cli(['repayments', 'import', '--store', store, file]).err.trim()).toBe('agencydesk: BAD_INPUT: --lender is required');
    expect(cli(['repayments', 'import', '--store', store, '--lender', 'NOPE', file]).err.trim()).toBe('agencydesk: NOT_FOUND: No lender with code NOPE.');
    expect(cli(['repayments', 'list', '--store', store]).err.trim()).toBe('agencydesk: BAD_INPUT: repayments: expected import');
  });
});

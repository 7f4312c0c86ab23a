// `agencydesk lender add … --penalty-per-day 0.05%` and `lender terms`: the contract's terms entered from the
// command line, "terms not set" until then (no charges accrue), the built bin in real processes.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { removeDir, tempDir } from '../helpers/store.js';

const BIN = path.resolve('bin/agencydesk.mjs');
const PW = 'cli terms pw 1';
let store: string;
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--store', store], { env: { ...process.env, AGENCYDESK_PASSWORD: PW, AGENCYDESK_NEW_PASSWORD: PW }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  expect(existsSync('dist/cli/main.mjs'), 'run `npm run build` first').toBe(true);
  store = tempDir();
  expect(cli(['init', '--agency', '华信催收']).code).toBe(0);
});
afterAll(() => removeDir(store));

describe('lender terms from the command line', () => {
  it('a lender added without terms says "terms not set" and applies no charges', () => {
    const add = cli(['lender', 'add', '--code', 'BARE', '--name', '无条款']);
    expect(add.code, add.err).toBe(0);
    expect(add.out).toContain('BARE: terms not set (未设置合同条款); applied: penalty 0 %/day on principal, late fee none, APR cap none');
    const list = cli(['lender', 'list']);
    expect(list.out).toMatch(/BARE .*\[terms not set 未设置合同条款\]/);
  });

  it('lender add takes the terms; lender terms shows and changes them, keeping what is not given', () => {
    const add = cli(['lender', 'add', '--code', 'PAYD', '--name', '平安i贷', '--penalty-per-day', '0.05%', '--apr-cap', '24%', '--late-fee', '30', '--json']);
    expect(add.code, add.err).toBe(0);
    expect(JSON.parse(add.out)).toMatchObject({ code: 'PAYD', termsSet: true, terms: { penaltyPpmPerDay: 500, aprCapPpm: 240_000, lateFee: { kind: 'fixed', fen: 3000 }, maxChargesFen: null } });
    const change = cli(['lender', 'terms', '--lender', 'PAYD', '--late-fee', '1%', '--late-fee-every', '30', '--order', 'principal,interest,penalty,fees', '--hotline', '400-800-1234', '--json']);
    expect(change.code, change.err).toBe(0);
    expect(JSON.parse(change.out)).toMatchObject({
      termsSet: true,
      terms: { penaltyPpmPerDay: 500, aprCapPpm: 240_000, lateFee: { kind: 'percent', ppm: 10_000 }, lateFeeEveryDays: 30, order: ['principal', 'interest', 'penalty', 'fees'] },
      contact: { hotline: '400-800-1234', paymentAccount: '' },
    });
    const show = cli(['lender', 'terms', '--lender', 'PAYD']);
    expect(show.out.trim()).toBe('PAYD: penalty 0.05 %/day on principal, late fee 1 % every 30 days, APR cap 24 %, total cap none, order principal → interest → penalty → fees');
    // Entering terms for the bare lender sets them.
    const bare = cli(['lender', 'terms', '--lender', 'BARE', '--no-charges', '--json']);
    expect(JSON.parse(bare.out)).toMatchObject({ termsSet: true, terms: { penaltyPpmPerDay: 0 } });
  });

  it('refuses a penalty without its % sign and an order that misses a component', () => {
    const r = cli(['lender', 'terms', '--lender', 'PAYD', '--penalty-per-day', '0.05']);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe('agencydesk: BAD_INPUT: --penalty-per-day takes a percentage with its % sign, e.g. 0.05% (got 0.05)');
    expect(cli(['lender', 'terms', '--lender', 'PAYD', '--order', 'fees,penalty']).err).toMatch(/--order names each of fees, penalty, interest, principal once/);
  });
});

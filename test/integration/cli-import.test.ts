// `agencydesk import --map`, `agencydesk templates` and `agencydesk call import.start`: a placement file
// whose columns nothing recognises is imported from the command line with the mapping the wizard offers.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeDir, tempDir } from '../helpers/store.js';
import { makeRows, toCsv } from '../helpers/placement-data.js';

const BIN = path.resolve('bin/agencydesk.mjs');
const PW = 'cli import pw 1';
let store: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, AGENCYDESK_PASSWORD: PW, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const json = (args: string[]) => {
  const r = cli([...args, '--store', store, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
};

// Headers no synonym knows: 结欠 is what is owed, 派单日 the day the lender placed the case.
const HEADERS = ['合同号', '客户姓名', '身份证号', '手机号码', '结欠', '派单日'];
const daysAgo = (n: number) => new Date(Date.now() + 8 * 3600_000 - n * 86_400_000).toISOString().slice(0, 10);
function placement(name: string, seed: number, prefix: string): string {
  const rows = makeRows(3, seed, { caseNoPrefix: prefix }).map((r, i) => [r[0]!, r[1]!, r[2]!, r[3]!, `${1000 + i}.50`, daysAgo(10)]);
  const p = path.join(store, name);
  writeFileSync(p, toCsv([HEADERS, ...rows]));
  return p;
}

beforeAll(() => {
  store = tempDir();
  expect(cli(['init', '--store', store], { AGENCYDESK_NEW_PASSWORD: PW }).code).toBe(0);
  expect(cli(['lender', 'add', '--store', store, '--code', 'PAYD', '--name', '平安i贷']).code).toBe(0);
}, 60_000);
afterAll(() => removeDir(store));

describe('agencydesk import --map', () => {
  it('without a mapping the unknown total column stops the import', () => {
    const r = cli(['import', '--store', store, '--lender', 'PAYD', placement('a.csv', 1, 'A')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Required fields are not mapped to any column: 逾期金额/);
  });

  it('names every unknown field, and a column the file does not have', () => {
    const file = placement('b.csv', 2, 'B');
    const f = cli(['import', '--store', store, '--lender', 'PAYD', '--map', '欠多少=结欠', '--map', 'Overdue amount=结欠', '--map', 'nosuch=派单日', file]);
    expect(f.code).toBe(1);
    expect(f.err.trim()).toMatch(/^agencydesk: BAD_INPUT: Unknown fields in --map: 欠多少, nosuch \(/);
    const c = cli(['import', '--store', store, '--lender', 'PAYD', '--map', '逾期金额=结欠金额', file]);
    expect(c.code).toBe(1);
    expect(c.err).toMatch(/No column named "结欠金额" in the file \(its columns: 合同号, 客户姓名, 身份证号, 手机号码, 结欠, 派单日\)/);
  });

  it('maps fields by label or key to columns by header, and saves the mapping as a template', () => {
    const out = json(['import', '--lender', 'PAYD', '--map', '逾期金额=结欠', '--map', 'placementDate=派单日', '--save-template', 'PAYD-v1', placement('c.csv', 3, 'C')]);
    expect(out).toMatchObject({ imported: 3, rejected: 0, batch: { placementDate: daysAgo(10), amountFen: 100_050 + 100_150 + 100_250 } });
    const cases = json(['call', 'cases.list', '{"sort":"caseNo","desc":false}']);
    expect(cases.rows.map((r: { caseNo: string }) => r.caseNo)).toEqual(['C00000001', 'C00000002', 'C00000003']);
    const balance = json(['call', 'money.balance', JSON.stringify({ caseId: cases.rows[0].id })]);
    expect(balance).toMatchObject({ placedOn: daysAgo(10), outstanding: 100_050 });
  });

  it('templates list shows it; the next file of the lender maps itself; delete removes it', () => {
    const list = json(['templates', 'list', '--lender', 'payd']);
    expect(list).toEqual([{ name: 'PAYD-v1', mapping: expect.objectContaining({ overdueAmount: '结欠', placementDate: '派单日' }), updatedAt: expect.any(String) }]);
    expect(json(['import', '--lender', 'PAYD', placement('d.csv', 4, 'D')])).toMatchObject({ imported: 3 });
    expect(json(['templates', 'delete', '--lender', 'PAYD', '--name', 'PAYD-v1'])).toEqual({ deleted: true, name: 'PAYD-v1' });
    expect(json(['templates', 'list', '--lender', 'PAYD'])).toEqual([]);
    const again = cli(['templates', 'delete', '--store', store, '--lender', 'PAYD', '--name', 'PAYD-v1']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/NOT_FOUND: This lender has no template named PAYD-v1/);
  });

  it('templates save takes --map; an import with --template uses it', () => {
    expect(json(['templates', 'save', '--lender', 'PAYD', '--name', 'short', '--map', '逾期金额=结欠'])).toMatchObject({ name: 'short', mapping: { overdueAmount: '结欠' } });
    expect(json(['import', '--lender', 'PAYD', '--template', 'short', placement('e.csv', 5, 'E')])).toMatchObject({ imported: 3 });
    const bad = cli(['templates', 'save', '--store', store, '--lender', 'PAYD', '--name', 'x', '--map', 'foo=结欠']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/Unknown field in --map: foo/);
  });

  it('call import.start waits for the import instead of dying with the process', () => {
    const file = placement('f.csv', 6, 'F');
    const lenderId = json(['lender', 'list'])[0].id;
    const before = json(['call', 'cases.list', '{}']).total;
    const job = json(['call', 'import.start', JSON.stringify({ lenderId, file: { path: file }, mapping: { overdueAmount: '结欠' } })]);
    expect(job).toMatchObject({ state: 'done', result: { imported: 3 } });
    expect(json(['call', 'cases.list', '{}']).total).toBe(before + 3);
  });

  it('lender policy sets what an import does with a total that disagrees with its components', () => {
    expect(json(['lender', 'policy', '--code', 'PAYD', '--amount-mismatch', 'reject_row'])).toMatchObject({ code: 'PAYD', amountMismatchPolicy: 'reject_row' });
    const p = path.join(store, 'g.csv');
    const [r] = makeRows(1, 7, { caseNoPrefix: 'G' });
    writeFileSync(p, toCsv([['合同号', '客户姓名', '身份证号', '手机号码', '逾期金额', '逾期本金', '逾期利息'], [r![0]!, r![1]!, r![2]!, r![3]!, '1000', '300', '100']]));
    const imp = cli(['import', '--store', store, '--lender', 'PAYD', p]);
    expect(imp.code).toBe(1);
    expect(imp.out).toMatch(/row 2, 逾期金额: total 1,000\.00 differs from its components 400\.00/);
  });
});

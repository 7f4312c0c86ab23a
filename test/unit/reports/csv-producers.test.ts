// Every CSV the screens write (rejected rows, import problems, commission, return report, reconciliation)
// goes through the same neutralisation as the report packages: a name or note that looks like a formula
// comes out behind an apostrophe, a negative amount stays a number. The downloads are caught where the
// screens hand them over (renderer/download.ts).
import { describe, it, expect, vi, beforeEach } from 'vitest';
import Papa from 'papaparse';
import type { TFunction } from 'i18next';

const saved: { name: string; text: Promise<string> }[] = [];
// The bytes as saved (Blob.text() would drop the BOM).
vi.mock('../../../renderer/download.js', () => ({ saveBlob: (name: string, blob: Blob) => saved.push({ name, text: blob.arrayBuffer().then((b) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b)) }) }));

const { downloadCsv, rejectionsCsv } = await import('../../../renderer/placement.js');
const { commissionCsv, reconciliationCsv } = await import('../../../renderer/repayments.js');
const { returnReportCsv } = await import('../../../renderer/pages/reports/ReturnReport.js');

const ATTACKS = ['=HYPERLINK("http://evil.example","点我")', '+cmd|" /C calc"!A0', '-2+3', '@SUM(A1:A9)'];
const t = ((k: string) => k) as unknown as TFunction;

const cellsOf = (text: string): string[][] => {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return Papa.parse<string[]>(text.slice(1), { newline: '\r\n', delimiter: ',' }).data.slice(0, -1);
};
async function downloaded(): Promise<string[][]> {
  expect(saved).toHaveLength(1);
  return cellsOf(await saved[0]!.text);
}
/** Every attack appears, each behind exactly one apostrophe, and never bare. */
function expectNeutralised(cells: string[][]): void {
  const flat = cells.flat();
  for (const a of ATTACKS) {
    expect(flat).toContain(`'${a}`);
    expect(flat).not.toContain(a);
  }
}

beforeEach(() => {
  saved.length = 0;
});

describe('CSV downloads', () => {
  it('rejected rows of a batch: the original cells of the row', async () => {
    downloadCsv('b-rejected.csv', rejectionsCsv(['row', 'column', 'reason', '客户姓名', '备注', '电话', '金额'], [{ row: 2, column: '身份证号', reason: 'bad', raw: [...ATTACKS] }], (r) => r));
    expectNeutralised(await downloaded());
  });

  it('import problems: the reason as shown, whatever it quotes', async () => {
    downloadCsv('p-rejected.csv', rejectionsCsv(['row', 'column', 'reason'], ATTACKS.map((a, i) => ({ row: i + 2, column: a, reason: a })), (r) => r));
    expectNeutralised(await downloaded());
  });

  it('commission statement: case numbers neutralised, negative amounts left as numbers', async () => {
    const line = (caseNo: string, i: number) => ({ paymentId: i + 1, caseId: i + 1, caseNo, paidOn: '2026-11-0' + (i + 1), source: 'agency' as const, daysOverdue: 30, ratePpm: 150_000, amountFen: -1250, commissionFen: -188 });
    const st = { lenderId: 1, lenderCode: 'L', month: '2026-11', tiers: [], lines: ATTACKS.map(line), payments: 4, recoveredFen: -5000, commissionFen: -752, reversedLeftOut: 0 };
    downloadCsv('commission.csv', commissionCsv(st, ['paidOn', 'caseNo', 'source', 'days', 'rate', 'amount', 'commission'], (s) => s, 'total'));
    const cells = await downloaded();
    expectNeutralised(cells);
    expect(cells[1]!.slice(5)).toEqual(['-12.50', '-1.88']);
  });

  it('return report: borrower and reason as the lender wrote them', () => {
    const detail = {
      recall: { id: 1, lender: 'L', source: 'file', fileName: null, recalledAt: '2026-11-01T00:00:00.000Z', recalledBy: 'm', reason: 'r', count: 4 },
      cases: ATTACKS.map((a, i) => ({ caseId: i + 1, caseNo: `C${i}`, borrowerName: a, stageBefore: 'contact', reason: a, overdueAmountFen: -250 })),
    };
    const cells = cellsOf(returnReportCsv(detail as unknown as Parameters<typeof returnReportCsv>[0], ['no', 'name', 'stage', 'why', 'overdue'], (s) => s));
    expectNeutralised(cells);
    expect(cells[1]![4]).toBe('-2.50');
  });

  it('reconciliation: every group, every case number and reference', async () => {
    const reported = (caseNo: string, i: number) => ({ id: i + 1, caseId: i + 1, caseNo, paidOn: '2026-11-02', amountFen: 1000, fileId: 1, fileName: ATTACKS[(i + 1) % 4]!, row: i + 2, reference: 'R', paymentId: null, reversed: false });
    const agency = (caseNo: string, i: number) => ({ id: i + 10, caseId: i + 1, caseNo, paidOn: '2026-11-03', amountFen: 900, reference: ATTACKS[(i + 2) % 4]! });
    const r = {
      lenderId: 1,
      from: '2026-11-01',
      to: '2026-11-30',
      matched: { count: 4, totalFen: 4000, items: ATTACKS.map(reported) },
      lenderOnly: { count: 4, totalFen: 4000, items: ATTACKS.map(reported) },
      agencyOnly: { count: 4, totalFen: 3600, items: ATTACKS.map(agency) },
      mismatches: { count: 1, lenderFen: 1000, agencyFen: 900, items: [{ caseId: 1, caseNo: ATTACKS[0]!, lender: reported('x', 0), agency: agency('x', 0), differenceFen: -100 }] },
    };
    downloadCsv('recon.csv', reconciliationCsv(r, t));
    const cells = await downloaded();
    expectNeutralised(cells);
    expect(cells).toHaveLength(1 + 4 * 3 + 1);
    expect(cells.at(-1)!.at(-1)).toBe('-1.00');
  });
});

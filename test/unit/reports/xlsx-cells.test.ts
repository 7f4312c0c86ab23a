// XLSX cells as the lender's spreadsheet reads them: text never altered (formula-looking text keeps its
// characters and gets the quote-prefix style), identifiers always text, days and times real date cells
// (Excel serial numbers with a date format; times in the lender's zone, the offset in the format).
// And the lender-zone times themselves, daylight saving included.
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import ExcelJS from 'exceljs';
import { XlsxWriter, daySerial, timeSerial } from '../../../core/reports/xlsx-writer.js';
import { ZoneClock, zoneOffsets } from '../../../shared/domain/reports/zone-time.js';
import { removeDir, tempDir } from '../../helpers/store.js';

const dir = tempDir('agencydesk-xlsx-cells-');
afterAll(() => removeDir(dir));

/** The sheet's cells by reference: type, style and value as the XML holds them. */
function cells(xml: string): Map<string, { t: string | null; s: string | null; v: string }> {
  const out = new Map<string, { t: string | null; s: string | null; v: string }>();
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"((?: [a-z]+="[^"]*")*)>(.*?)<\/c>/g)) {
    const attr = (n: string) => new RegExp(` ${n}="([^"]*)"`).exec(m[2]!)?.[1] ?? null;
    out.set(m[1]!, { t: attr('t'), s: attr('s'), v: m[3]!.replace(/<[^>]+>/g, '') });
  }
  return out;
}
const xfs = (styles: string) => [...styles.matchAll(/<cellXfs[^>]*>(.*?)<\/cellXfs>/g)][0]![1]!.match(/<xf [^>]*\/>/g)!;
const fmtOf = (styles: string, xf: string) => {
  const id = /numFmtId="(\d+)"/.exec(xf)![1];
  return new RegExp(`<numFmt numFmtId="${id}" formatCode="([^"]*)"`).exec(styles)?.[1]?.replace(/&quot;/g, '"');
};

describe('XLSX cells', () => {
  it('keeps text as written with the quote-prefix style, identifiers as text, days and times as dates', async () => {
    const file = path.join(dir, 'typed.xlsx');
    const w = new XlsxWriter(file, 's', 6, undefined, new Date('2026-12-06T06:00:00Z'), { types: ['id', 'text', 'date', 'time', 'number', 'id'], timeZone: 'Asia/Shanghai' });
    await w.begin(['=合同号', 'Note', 'Day', 'Time', 'N', 'Phone']);
    await w.row(['123456789012345678901', '=HYPERLINK("http://x","y")', '2026-11-30', '2026-12-06 14:03:00 +08:00', 5, '+8613800138000']);
    await w.row(['007', '-2+3', 'not a day', '2026-12-06 14:03:00 +05:00', -12.5, 13800138000]);
    await w.finish();
    const zip = unzipSync(readFileSync(file));
    const sheet = cells(strFromU8(zip['xl/worksheets/sheet1.xml']!));
    const styles = strFromU8(zip['xl/styles.xml']!);
    const xf = xfs(styles);
    const quoted = (ref: string) => xf[Number(sheet.get(ref)!.s ?? 0)]!.includes('quotePrefix="1"');

    // Text never altered: no apostrophe in the value; the quote-prefix style instead.
    expect(sheet.get('B2')).toMatchObject({ t: 'inlineStr', v: '=HYPERLINK("http://x","y")' });
    expect(quoted('B2')).toBe(true);
    expect(sheet.get('B3')).toMatchObject({ t: 'inlineStr', v: '-2+3' });
    expect(quoted('B3')).toBe(true);
    expect(sheet.get('A1')).toMatchObject({ t: 'inlineStr', v: '=合同号' });
    expect(quoted('A1')).toBe(true);
    expect(xf[Number(sheet.get('A1')!.s)]).toContain('fontId="1"'); // still bold
    // Identifiers: text even when all digits (a number given for one too), + kept.
    for (const [ref, v] of [['A2', '123456789012345678901'], ['A3', '007'], ['F2', '+8613800138000'], ['F3', '13800138000']] as const) expect(sheet.get(ref), ref).toMatchObject({ t: 'inlineStr', v });
    expect(quoted('A2')).toBe(false);
    // A day: serial number, yyyy-mm-dd. Not a day: text.
    expect(sheet.get('C2')!.t).toBeNull();
    expect(Number(sheet.get('C2')!.v)).toBe(46356);
    expect(fmtOf(styles, xf[Number(sheet.get('C2')!.s)]!)).toBe('yyyy-mm-dd');
    expect(sheet.get('C3')).toMatchObject({ t: 'inlineStr', v: 'not a day' });
    // A time: serial number of the wall-clock time, the offset in the format.
    expect(Number(sheet.get('D2')!.v)).toBeCloseTo(46362 + (14 * 3600 + 3 * 60) / 86400, 9);
    expect(fmtOf(styles, xf[Number(sheet.get('D2')!.s)]!)).toBe('yyyy-mm-dd hh:mm:ss "+08:00"');
    // An offset the zone never had stays text rather than lose it.
    expect(sheet.get('D3')).toMatchObject({ t: 'inlineStr', v: '2026-12-06 14:03:00 +05:00' });
    expect(sheet.get('E3')).toMatchObject({ t: null, v: '-12.5' });
    expect(quoted('E3')).toBe(false);

    // exceljs reads the date cells as dates and the text unaltered.
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const row = book.worksheets[0]!.getRow(2);
    expect(row.getCell(2).value).toBe('=HYPERLINK("http://x","y")');
    expect((row.getCell(3).value as Date).toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect((row.getCell(4).value as Date).toISOString()).toBe('2026-12-06T14:03:00.000Z');
  });

  it('turns days and zone times into serial numbers and refuses what is not one', () => {
    expect(daySerial('1970-01-01')).toBe(25569);
    expect(daySerial('2026-02-30')).toBeNull();
    expect(daySerial('20260101')).toBeNull();
    expect(timeSerial('2026-12-06 00:00:00 +08:00')).toBe(daySerial('2026-12-06'));
    expect(timeSerial('2026-12-06 24:00:00 +08:00')).toBeNull();
    expect(timeSerial('2026-12-06T00:00:00Z')).toBeNull();
  });
});

describe('lender-zone times', () => {
  it('writes the wall-clock time with its offset, across days and daylight saving', () => {
    const sh = new ZoneClock('Asia/Shanghai');
    expect(sh.local('2026-12-06T06:03:00.000Z')).toBe('2026-12-06 14:03:00 +08:00');
    expect(sh.local('2026-12-31T16:00:00.000Z')).toBe('2027-01-01 00:00:00 +08:00');
    const ny = new ZoneClock('America/New_York');
    expect(ny.local('2026-03-08T06:59:59.000Z')).toBe('2026-03-08 01:59:59 -05:00');
    expect(ny.local('2026-03-08T07:00:00.000Z')).toBe('2026-03-08 03:00:00 -04:00');
    expect(ny.local('2026-01-01T03:00:00.000Z')).toBe('2025-12-31 22:00:00 -05:00');
    expect(new ZoneClock('Asia/Kathmandu').local('2026-12-06T06:03:00.000Z')).toBe('2026-12-06 11:48:00 +05:45');
    expect(sh.local('2026-12-06T06:03:00+00:00')).toBe('2026-12-06 14:03:00 +08:00');
    expect(sh.local('not a time')).toBe('not a time');
    expect(zoneOffsets('America/New_York')).toEqual(['-04:00', '-05:00']);
    expect(zoneOffsets('Asia/Shanghai')[0]).toBe('+08:00');
  });

  it('agrees with Intl across a year in a daylight-saving zone', () => {
    const zone = 'Europe/London';
    const clock = new ZoneClock(zone);
    const f = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 37 * 60_000 + 13_000) {
      const iso = new Date(ms).toISOString();
      expect(clock.local(iso).slice(0, 19), iso).toBe(f.format(ms));
    }
  });
});

// XLSX placements full of personal data, zipped in the part orders that made exceljs's streaming reader spool
// the sheet to the temp folder: Excel's order (the sheet before sharedStrings.xml) and inline strings.
import { zipSync, strToU8 } from 'fflate';
import { makeRows, PLACEMENT_HEADERS } from './placement-data.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const colName = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)));

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="委案明细" sheetId="1" r:id="rId1"/></sheets></workbook>`;
const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;

export interface PersonalXlsx {
  bytes: Uint8Array;
  /** Names, ID numbers and mobiles in the file: none of them may ever appear in a temp file. */
  needles: string[];
}

/** `shared`: strings in sharedStrings.xml, zipped after the sheet (Excel's order); otherwise inline strings. */
export function personalXlsx(count: number, seed: number, mode: 'shared' | 'inline'): PersonalXlsx {
  const rows = [PLACEMENT_HEADERS, ...makeRows(count, seed, { caseNoPrefix: `T${seed}-` })];
  const strings = new Map<string, number>();
  const sst: string[] = [];
  const cell = (v: string, ref: string) => {
    // Mobiles typed into Excel become numbers: the value sits in the sheet itself, not in the shared strings.
    if (/^1\d{10}$/.test(v)) return `<c r="${ref}"><v>${v}</v></c>`;
    if (mode === 'inline') return `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
    let i = strings.get(v);
    if (i === undefined) strings.set(v, (i = sst.push(v) - 1));
    return `<c r="${ref}" t="s"><v>${i}</v></c>`;
  };
  const body = rows.map((r, ri) => `<row r="${ri + 1}">${r.map((v, ci) => cell(v, `${colName(ci)}${ri + 1}`)).join('')}</row>`).join('');
  const sheet = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`;
  // fflate keeps the insertion order: the worksheet goes in before sharedStrings.xml, as Excel writes it.
  const parts: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(CONTENT_TYPES),
    '_rels/.rels': strToU8(ROOT_RELS),
    'xl/workbook.xml': strToU8(WORKBOOK),
    'xl/_rels/workbook.xml.rels': strToU8(WORKBOOK_RELS),
    'xl/worksheets/sheet1.xml': strToU8(sheet),
  };
  if (mode === 'shared') {
    parts['xl/sharedStrings.xml'] = strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${sst.length}" uniqueCount="${sst.length}">${sst.map((s) => `<si><t>${esc(s)}</t></si>`).join('')}</sst>`,
    );
  }
  const data = rows.slice(1);
  const needles = [...new Set(data.flatMap((r) => [r[1]!, r[2]!, r[3]!]))].filter((s) => s.length >= 2);
  return { bytes: zipSync(parts, { level: 6 }), needles };
}

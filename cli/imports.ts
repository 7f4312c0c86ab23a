// `agencydesk import` and `agencydesk templates`: placement files with the same mapping choices the wizard
// offers. `--map FIELD=COLUMN` names a field by its key or its Chinese / English label (逾期金额,
// "Overdue amount", overdueAmount) and a column by its header text; the backend refuses a column the file
// does not have, naming it.
import path from 'node:path';
import { PLACEMENT_FIELDS } from '../shared/domain/placement/fields.js';
import { normalizeHeader } from '../shared/domain/placement/header-normalize.js';
import { CliError, type CliSession } from './session.js';
import { withLogin, type Out } from './commands.js';
import { waitForImport } from './import-job.js';

type Opts = Record<string, string | boolean | undefined>;
const str = (o: Opts, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
const bad = (message: string) => new CliError({ code: 'BAD_INPUT', message });

/** A field's key from its key or either label (case, width and spacing ignored); null if none. */
export function fieldKeyOf(text: string): string | null {
  const want = normalizeHeader(text);
  const f = PLACEMENT_FIELDS.find((x) => x.key === text || [x.key, x.labelZh, x.labelEn].some((n) => normalizeHeader(n) === want));
  return f?.key ?? null;
}

/** `--map FIELD=COLUMN …` → field key → header text; every unknown field is named in one error. */
export function parseMaps(maps: readonly string[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  const unknown: string[] = [];
  for (const m of maps) {
    const eq = m.indexOf('=');
    const field = eq < 0 ? '' : m.slice(0, eq).trim();
    const column = eq < 0 ? '' : m.slice(eq + 1).trim();
    if (!field || !column) throw bad(`--map ${m}: expected FIELD=COLUMN, e.g. --map 逾期金额=剩余本金`);
    const key = fieldKeyOf(field);
    if (key === null) unknown.push(field);
    else if (mapping[key] !== undefined && mapping[key] !== column) throw bad(`--map gives ${field} twice (${mapping[key]}, ${column}).`);
    else mapping[key] = column;
  }
  if (unknown.length) {
    throw bad(`Unknown field${unknown.length > 1 ? 's' : ''} in --map: ${unknown.join(', ')} (a field key or label, e.g. overdueAmount, 逾期金额 or "Overdue amount"; see \`agencydesk templates fields\`).`);
  }
  return mapping;
}

async function lenderOf(s: CliSession, o: Opts) {
  const code = str(o, 'lender')?.toUpperCase();
  if (!code) throw bad('--lender is required');
  const lender = (await s.call('lenders.list', {})).lenders.find((l) => l.code === code);
  if (!lender) throw new CliError({ code: 'NOT_FOUND', message: `No lender with code ${code} (add it with \`agencydesk lender add\`).` });
  return lender;
}

/** Imports a placement file and waits for the result; false when nothing was imported. */
export async function importFile(store: string, file: string | undefined, o: Opts, maps: readonly string[], env: NodeJS.ProcessEnv, out: Out): Promise<boolean> {
  if (!file) throw bad('import: FILE is required');
  const mapping = parseMaps(maps);
  return withLogin(store, env, async (s) => {
    const lender = await lenderOf(s, o);
    const { jobId } = await s.call('import.start', {
      lenderId: lender.id,
      file: await s.fileRef(file, 'placement'),
      templateName: str(o, 'template'),
      ...(Object.keys(mapping).length ? { mapping } : {}),
      batchNo: str(o, 'batch'),
      placementDate: str(o, 'placement-date'),
      termEndDate: str(o, 'term-end'),
      saveTemplateAs: str(o, 'save-template'),
      dryRun: o['dry-run'] === true,
    });
    const job = await waitForImport(s, jobId, !out.json);
    if (job.state !== 'done' || !job.result) throw new CliError({ code: (job.error?.code ?? 'INTERNAL') as never, message: job.error?.message ?? 'The import failed.' });
    const r = job.result;
    const b = r.batch;
    const lines = [
      `${r.dryRun ? 'Dry run (nothing written): would import' : 'Imported'} ${r.imported}, updated ${r.updated}, rejected ${r.rejected}${b ? ` — batch ${b.batchNo}, placed ${b.placementDate}` : ''}.`,
      ...(r.amountAdjusted ? [`  ${r.amountAdjusted} row(s): the total disagreed with its components; the total was kept and the difference booked as principal (lender policy).`] : []),
      ...r.rejections.slice(0, 50).map((x) => `  row ${x.row}, ${x.column}: ${x.reason}`),
      ...(r.rejections.length > 50 ? [`  … and ${r.rejections.length - 50} more (agencydesk call batches.rejections)`] : []),
    ];
    out.print(lines.join('\n'), { imported: r.imported, updated: r.updated, rejected: r.rejected, rejections: r.rejections, batch: b, dryRun: r.dryRun, amountAdjusted: r.amountAdjusted ?? 0 });
    return r.imported + r.updated > 0;
  });
}

/** `templates list|save|delete --lender CODE`, and `templates fields` (the field keys and labels --map takes). */
export async function templates(sub: string | undefined, store: string, o: Opts, maps: readonly string[], env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  if (sub === 'fields') {
    const rows = PLACEMENT_FIELDS.map((f) => ({ key: f.key, labelZh: f.labelZh, labelEn: f.labelEn, required: f.required }));
    return out.print(rows.map((f) => `${f.key.padEnd(20)} ${f.labelZh}\t${f.labelEn}${f.required ? '  (required)' : ''}`).join('\n'), rows);
  }
  if (sub !== 'list' && sub !== 'save' && sub !== 'delete') throw bad('templates: expected list, save, delete or fields');
  const mapping = sub === 'save' ? parseMaps(maps) : {};
  if (sub === 'save' && Object.keys(mapping).length === 0) throw bad('templates save: give the mapping with --map FIELD=COLUMN (one per field)');
  await withLogin(store, env, async (s) => {
    const lender = await lenderOf(s, o);
    const name = () => {
      const n = str(o, 'name');
      if (!n) throw bad(`templates ${sub}: --name is required`);
      return n;
    };
    if (sub === 'list') {
      const { templates: ts } = await s.call('templates.list', { lenderId: lender.id });
      const lines = ts.map((t) => `${t.name}  (${t.updatedAt.slice(0, 10)})\n${Object.entries(t.mapping).map(([k, h]) => `    ${k.padEnd(20)} ← ${h}`).join('\n')}`);
      return out.print(lines.length ? lines.join('\n') : `${lender.code} has no saved template.`, ts);
    }
    if (sub === 'save') {
      const t = await s.call('templates.save', { lenderId: lender.id, name: name(), mapping });
      return out.print(`Saved template ${t.name} for ${lender.code} (${Object.keys(t.mapping).length} fields).`, t);
    }
    const n = name();
    await s.call('templates.delete', { lenderId: lender.id, name: n });
    return out.print(`Deleted template ${n} of ${lender.code}.`, { deleted: true, name: n });
  });
}

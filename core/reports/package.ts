// A report package for a lender: the status report, contact log, repayments and waivers as CSV and/or
// XLSX (headers in the lender's language and order), manifest.json (what is in the package, the SHA-256
// of every file, the signing key's fingerprint, the audit log's head), manifest.sig (a detached Ed25519
// signature of manifest.json), SHA256SUMS with its own signature SHA256SUMS.sig (so `sha256sum -c` checks
// files against signed hashes, not against a list anyone could rewrite), the public key, and README.txt
// on how to check it all with openssl.
import { rmSync, writeFileSync } from 'node:fs';
import { sign } from 'node:crypto';
import path from 'node:path';
import { columnsFor, REPORT_FILE_NAMES, type ExportTemplate, type HeaderLanguage, type ReportKind } from '../../shared/domain/reports/columns.js';
import { yuan } from '../../shared/domain/reports/cells.js';
import type { Repos } from '../../db/repos/index.js';
import type { Scope } from '../../db/repos/reports.js';
import { CsvSink, XlsxSink, hashFile, type Sink, type SinkResult } from './sinks.js';
import { emptyTotals, rawChunks, returnRows, waiverRows, type Period, type Row, type StatusTotals } from './rows.js';
import { CASE_KINDS, cellsOf, cellView, xlsxTypes } from './format-chunk.js';
import { DEFAULT_REPORT_TIME_ZONE, type ReportView } from '../../shared/domain/reports/view.js';
import { CHUNK_CASES, writeCaseReports, type CaseReportsOptions } from './case-reports.js';
import { readmeText } from './readme.js';

export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const PUBLIC_KEY = 'agency-public.pem';
export const SUMS = 'SHA256SUMS';
export const SUMS_SIGNATURE = 'SHA256SUMS.sig';
/** /2: SHA256SUMS is signed too (SHA256SUMS.sig); /1 packages (without it) still verify. */
export const PACKAGE_FORMAT = 'agencydesk-report/2';

export interface PackageSpec {
  agency: string;
  lender: { code: string; name: string };
  scope: Scope;
  batchNo: string | null;
  period: Period;
  formats: readonly ('csv' | 'xlsx')[];
  language: HeaderLanguage;
  template: ExportTemplate;
  piiFull: boolean;
  generatedAt: string;
  generatedBy: string;
  /** How values read for the lender: time zone, CSV encoding, outcome labels (defaults: see report view). */
  view?: Partial<ReportView> | undefined;
  /** The audit log's head as the package's snapshot of the store saw it. */
  auditHead: string;
  /** The signing key's public half: the package is signed afterwards, by whoever holds the private one. */
  key: { publicPem: string; fingerprint: string };
}

export interface UnsignedPackage {
  dir: string;
  files: SinkResult[];
  /** manifest.json and SHA256SUMS as written: what `signPackage` signs. */
  manifest: Uint8Array;
  sums: Uint8Array;
  manifestSha256: string;
  rowCounts: Record<ReportKind, number>;
}

/** One report's columns and the files it goes to (a CSV and/or an XLSX). */
interface ReportOut {
  kind: ReportKind;
  cols: ReturnType<typeof columnsFor>;
  sinks: Sink[];
}

function openReport(dir: string, kind: ReportKind, spec: PackageSpec): ReportOut {
  const cols = columnsFor(kind, spec.template, spec.language);
  const header = cols.map((c) => c.header);
  const base = REPORT_FILE_NAMES[kind];
  const sinks: Sink[] = [];
  if (spec.formats.includes('csv')) sinks.push(new CsvSink(path.join(dir, `${base}.csv`), `${base}.csv`, header, spec.view?.csvEncoding));
  if (spec.formats.includes('xlsx')) sinks.push(new XlsxSink(path.join(dir, `${base}.xlsx`), `${base}.xlsx`, base, header, new Date(spec.generatedAt), { types: xlsxTypes(cols), timeZone: spec.view?.timeZone ?? DEFAULT_REPORT_TIME_ZONE }));
  return { kind, cols, sinks };
}

/** Opens the reports' files, lets `fill` write their rows, then closes them all (even after a failure, so no file stays open). */
async function withReports(dir: string, kinds: readonly ReportKind[], spec: PackageSpec, fill: (outs: Map<ReportKind, ReportOut>) => Promise<void>): Promise<SinkResult[][]> {
  const outs = new Map(kinds.map((k) => [k, openReport(dir, k, spec)]));
  let failure: unknown = null;
  try {
    await fill(outs);
  } catch (e) {
    failure = e;
  }
  const closed = await Promise.allSettled([...outs.values()].map((o) => Promise.all(o.sinks.map((s) => s.close()))));
  const failed = closed.find((c) => c.status === 'rejected');
  if (failure !== null || failed) throw failure ?? (failed as PromiseRejectedResult).reason;
  return closed.map((c) => (c as PromiseFulfilledResult<SinkResult[]>).value);
}

/** Writes a small report (waivers, returns) row by row. */
function writeReport(dir: string, kind: ReportKind, spec: PackageSpec, rows: Iterable<Row>): Promise<SinkResult[][]> {
  return withReports(dir, [kind], spec, async (outs) => {
    const { cols, sinks } = outs.get(kind)!;
    const view = cellView(spec.language, spec.view, spec.generatedAt);
    for (const row of rows) {
      const cells = cellsOf(cols, row, view);
      for (const s of sinks) {
        const wait = s.row(cells);
        if (wait) await wait;
      }
    }
  });
}

/** Writes the package but its signature into `dir` (an empty folder the caller made; removed if anything fails). */
export async function writeUnsignedPackage(r: Repos, dir: string, spec: PackageSpec, opts: CaseReportsOptions & { chunkCases?: number } = {}): Promise<UnsignedPackage> {
  try {
    const totals: StatusTotals = emptyTotals();
    const files: SinkResult[] = [];
    const rowCounts = {} as Record<ReportKind, number>;
    const kinds: ReportKind[] = ['status', 'contacts', 'repayments', 'waivers', 'returns'];
    const setup = { formats: spec.formats, template: spec.template, language: spec.language, period: spec.period, piiFull: spec.piiFull, context: r.reports.rowContext(spec.scope), view: spec.view, generatedAt: spec.generatedAt };
    const written = [
      ...(await withReports(dir, CASE_KINDS, spec, (outs) =>
        writeCaseReports({ status: outs.get('status')!.sinks, contacts: outs.get('contacts')!.sinks, repayments: outs.get('repayments')!.sinks }, rawChunks(r, spec.scope, opts.chunkCases ?? CHUNK_CASES, spec.period), setup, totals, opts),
      )),
      ...(await writeReport(dir, 'waivers', spec, waiverRows(r, spec.scope, spec.period))),
      ...(await writeReport(dir, 'returns', spec, returnRows(r, spec.scope, spec.period))),
    ];
    kinds.forEach((kind, i) => {
      rowCounts[kind] = written[i]![0]!.rows;
      files.push(...written[i]!);
    });
    writeFileSync(path.join(dir, PUBLIC_KEY), spec.key.publicPem);
    writeFileSync(path.join(dir, 'README.txt'), readmeText(spec.key.fingerprint, files.map((f) => f.name)));
    for (const extra of [PUBLIC_KEY, 'README.txt']) files.push({ name: extra, ...(await hashFile(path.join(dir, extra))), rows: 0 });
    // For `sha256sum -c SHA256SUMS`: signed on its own (SHA256SUMS.sig) and listed in the signed manifest.
    const sums = Buffer.from(files.map((f) => `${f.sha256}  ${f.name}\n`).join(''), 'utf8');
    writeFileSync(path.join(dir, SUMS), sums);
    files.push({ name: SUMS, ...(await hashFile(path.join(dir, SUMS))), rows: 0 });
    const manifest = Buffer.from(
      `${JSON.stringify(
        {
          format: PACKAGE_FORMAT,
          agency: spec.agency,
          lender: spec.lender,
          batch: spec.batchNo,
          period: spec.period,
          generatedAt: spec.generatedAt,
          generatedBy: spec.generatedBy,
          personalData: spec.piiFull ? 'full' : 'masked',
          rowCounts,
          totals: {
            cases: totals.cases,
            placedYuan: yuan(totals.placedFen),
            paidInPeriodYuan: yuan(totals.paidInPeriodFen),
            paidTotalYuan: yuan(totals.paidTotalFen),
            recoveryRate: totals.placedFen > 0 ? Math.round((totals.paidTotalFen / totals.placedFen) * 10_000) / 10_000 : 0,
            outstandingYuan: yuan(totals.outstandingFen),
            settled: totals.settled,
            inProgress: totals.inProgress,
          },
          files: files.map((f) => ({ name: f.name, sha256: f.sha256, bytes: f.bytes, rows: f.name.endsWith('.csv') || f.name.endsWith('.xlsx') ? f.rows : null })),
          signingKey: { algorithm: 'Ed25519', fingerprint: spec.key.fingerprint, publicKeyFile: PUBLIC_KEY },
          auditHeadHash: spec.auditHead,
        },
        null,
        2,
      )}\n`,
      'utf8',
    );
    writeFileSync(path.join(dir, MANIFEST), manifest);
    const manifestHash = await hashFile(path.join(dir, MANIFEST));
    return { dir, files, manifest, sums, manifestSha256: manifestHash.sha256, rowCounts };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Adds the detached Ed25519 signatures of manifest.json and SHA256SUMS to a package written by `writeUnsignedPackage`. */
export function signPackage(dir: string, pkg: { manifest: Uint8Array; sums: Uint8Array }, sign: (data: Buffer) => Buffer): void {
  writeFileSync(path.join(dir, SUMS_SIGNATURE), sign(Buffer.from(pkg.sums)));
  writeFileSync(path.join(dir, SIGNATURE), sign(Buffer.from(pkg.manifest)));
}

export const signWith = (privateKey: Parameters<typeof sign>[2]) => (data: Buffer) => sign(null, data, privateKey);

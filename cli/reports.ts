// `agencydesk export` (a signed report package for a lender, through reports.export) and `agencydesk
// verify` (checks a package with no store at all: a lender receiving one has only the file and our key).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { verifyPackage } from '../core/reports/verify.js';
import { CliError, type CliSession } from './session.js';

type Opts = Record<string, string | boolean | undefined>;
type Out = { json: boolean; print(text: string, value: unknown): void };
const str = (o: Opts, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);

export async function exportReport(s: CliSession, o: Opts, out: Out): Promise<void> {
  const code = str(o, 'lender')?.toUpperCase();
  if (!code) throw new CliError({ code: 'BAD_INPUT', message: 'export: --lender CODE is required' });
  const lender = (await s.call('lenders.list', {})).lenders.find((l) => l.code === code);
  if (!lender) throw new CliError({ code: 'NOT_FOUND', message: `No lender with code ${code}.` });
  const batchNo = str(o, 'batch');
  let batchId: number | undefined;
  if (batchNo) {
    const b = (await s.call('batches.list', { lenderId: lender.id })).batches.find((x) => x.batchNo === batchNo);
    if (!b) throw new CliError({ code: 'NOT_FOUND', message: `${code} has no batch ${batchNo}.` });
    batchId = b.id;
  } else if (!str(o, 'from') || !str(o, 'to')) {
    throw new CliError({ code: 'BAD_INPUT', message: 'export: --batch NO, or --from DATE and --to DATE' });
  }
  const outPath = str(o, 'out');
  if (!outPath) throw new CliError({ code: 'BAD_INPUT', message: 'export: --out PATH is required (a folder, or a name ending in .zip)' });
  const zip = outPath.toLowerCase().endsWith('.zip');
  const formats = (str(o, 'formats') ?? 'csv,xlsx').split(',').map((f) => f.trim()) as ('csv' | 'xlsx')[];
  const r = await s.call('reports.export', {
    lenderId: lender.id,
    ...(batchId !== undefined ? { batchId } : {}),
    ...(str(o, 'from') ? { from: str(o, 'from')! } : {}),
    ...(str(o, 'to') ? { to: str(o, 'to')! } : {}),
    formats,
    zip,
    // A .zip goes into the folder that would hold it; the package name is AgencyDesk's.
    outDir: path.resolve(zip ? path.dirname(outPath) : outPath),
  });
  out.print(
    [`Report package for ${code}: ${r.path}`, ...r.files.map((f) => `  ${f.name}  ${f.rows === null ? '' : `${f.rows} rows  `}sha256 ${f.sha256}`), `Signed with key ${r.fingerprint}`].join('\n'),
    { path: r.path, files: r.files, fingerprint: r.fingerprint, manifestSha256: r.manifestSha256, rowCounts: r.rowCounts },
  );
}

/** Exit 0 only for a valid package. */
export async function verify(target: string | undefined, o: Opts, out: Out): Promise<boolean> {
  if (!target) throw new CliError({ code: 'BAD_INPUT', message: 'verify: name the package folder or .zip' });
  const pem = str(o, 'pubkey');
  let publicKeyPem: string | undefined;
  if (pem) {
    try {
      publicKeyPem = readFileSync(pem, 'utf8');
    } catch (e) {
      throw new CliError({ code: 'NOT_FOUND', message: `Cannot read the public key ${pem}: ${(e as Error).message}` });
    }
  }
  const r = await verifyPackage(path.resolve(target), { publicKeyPem });
  const who = r.signer ? `${(r.manifest?.agency as string | undefined) ?? 'unknown signer'} ${r.signer.fingerprint}` : 'no signer';
  const text = r.valid
    ? `valid, signed by ${who}${pem ? '' : '\n(checked with the key inside the package: compare the fingerprint with the one the agency gave you, or pass --pubkey)'}`
    : [`INVALID (${who})`, ...r.failures.map((f) => `  ${f.file}: ${f.reason}`)].join('\n');
  out.print(text, r);
  return r.valid;
}

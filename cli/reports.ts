// `agencydesk export` (a signed report package for a lender, through reports.export) and `agencydesk
// verify` (checks a package with no store at all: a lender receiving one has only the file and our key).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { verifyPackage } from '../core/reports/verify.js';
import { CliError, type CliSession } from './session.js';
import { withLogin } from './commands.js';

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

/**
 * Exit 0 only for a valid package. "Signed by" is said only of a key the user trusts: the one given with
 * --pubkey, or (with --store) the agency's current or retired key or a registered lender's. A package
 * checked with the key it carries is intact but its signer unproven: anyone can write a manifest naming
 * the agency and sign it with a key of their own, so the output says so and prints the fingerprint.
 */
export async function verify(target: string | undefined, o: Opts, out: Out, store: { dir: string; env: NodeJS.ProcessEnv } | null = null): Promise<boolean> {
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
  const packagePath = path.resolve(target);
  const r = store
    ? await withLogin(store.dir, store.env, (s) => s.call('reports.verify', { package: { path: packagePath }, ...(publicKeyPem ? { publicKeyPem } : {}) }))
    : await verifyPackage(packagePath, { publicKeyPem });
  const fp = r.signer?.fingerprint ?? null;
  const known = r.signer && r.signer.kind !== 'unknown' && r.signer.name ? r.signer.name : null;
  const claimed = (r.manifest?.agency as string | undefined) ?? null;
  // Whose key it is, as far as this run can tell.
  const trust: 'given' | 'agency' | 'lender' | null = known ? (r.signer!.kind as 'agency' | 'lender') : pem ? 'given' : null;
  let text: string;
  if (!r.valid) text = [`INVALID${fp ? ` (key ${fp})` : ''}`, ...r.failures.map((f) => `  ${f.file}: ${f.reason}`)].join('\n');
  else if (known) text = `valid, signed by ${known}, key ${fp}`;
  else if (pem) text = `valid, signed with the key in ${pem}, fingerprint ${fp}`;
  else
    text = [
      `valid as a package, but its signing key was NOT checked against a trusted key: the key inside the package has fingerprint ${fp}`,
      `(manifest.json names ${claimed ? `"${claimed}"` : 'no agency'} — anyone can write that). Compare the fingerprint with the one the agency gave you,`,
      store ? 'or register it; it is neither this agency\'s key (current or retired) nor a registered lender\'s.' : 'or pass --pubkey KEY.pem (or --store DIR to check it against the agency\'s and the lenders\' keys).',
    ].join('\n');
  out.print(text, { ...r, trustedKey: trust });
  return r.valid;
}

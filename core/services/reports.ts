// Signed reports to lenders: the signing keys, per-lender report settings, producing a package, listing
// what was produced, and verifying a package (ours or a lender's).
import { statSync } from 'node:fs';
import path from 'node:path';
import { ApiFailure } from '../../shared/contract/failure.js';
import type { ExportTemplate, HeaderLanguage } from '../../shared/domain/reports/columns.js';
import { DEFAULT_REPORT_VIEW, type CsvEncoding } from '../../shared/domain/reports/view.js';
import { outcomesOf } from './outcomes.js';
import type { Ctx, Handler } from '../context.js';
import { createPublicKey } from 'node:crypto';
import { currentKey, currentKeyRow, fingerprintOf, newSigningKey } from '../reports/keys.js';
import { signPackage, signWith } from '../reports/package.js';
import { discardPackage, publishPackage, stagePackage } from '../reports/staging.js';
import { requireFreeSpace } from '../disk-space.js';
import { caseWriter } from '../../db/repos/cases.js';
import { runExportWorker } from '../reports/export-job.js';
import { verifyPackage } from '../reports/verify.js';
import { today } from '../money/ledger.js';
import { uploadSource, UPLOAD_ONLY_HOSTS } from '../import/uploads.js';
import type { FileSource } from '../import/read/file-source.js';
import type { SigningKeyRow } from '../../db/repos/reports.js';

const keyView = (k: SigningKeyRow) => ({ fingerprint: k.fingerprint, publicPem: k.public_pem, createdAt: k.created_at, retiredAt: k.retired_at });

function keys(ctx: Ctx) {
  currentKeyRow(ctx);
  const all = ctx.store.repos.reports.keys();
  return { current: keyView(all.find((k) => k.retired_at === null)!), retired: all.filter((k) => k.retired_at !== null).map(keyView) };
}

interface StoredSettings {
  language?: HeaderLanguage;
  template?: ExportTemplate;
  timeZone?: string;
  csvEncoding?: CsvEncoding;
}

function settingsOf(ctx: Ctx, lenderId: number) {
  const l = ctx.store.repos.reports.lender(lenderId);
  if (!l) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  const s = JSON.parse(l.export_template) as StoredSettings;
  return {
    lender: l,
    settings: {
      language: s.language ?? ('zh' as const),
      template: s.template ?? {},
      piiFull: l.pii_full === 1,
      timeZone: s.timeZone ?? DEFAULT_REPORT_VIEW.timeZone,
      csvEncoding: s.csvEncoding ?? DEFAULT_REPORT_VIEW.csvEncoding,
    },
  };
}

const setSettings: Handler<'reports.setSettings'> = (input, ctx) => {
  const r = ctx.store.repos;
  const { settings: before } = settingsOf(ctx, input.lenderId);
  if (input.piiFull === true && !before.piiFull && !input.reason) {
    throw new ApiFailure('BAD_INPUT', "Full personal data in reports needs a reason: name the clause of the lender's contract that allows it.");
  }
  const next = {
    language: input.language ?? before.language,
    template: (input.template as ExportTemplate | undefined) ?? before.template,
    timeZone: input.timeZone ?? before.timeZone,
    csvEncoding: input.csvEncoding ?? before.csvEncoding,
  };
  r.db.transaction(() => {
    r.reports.setTemplate(input.lenderId, JSON.stringify(next));
    if (input.piiFull !== undefined) r.reports.setPiiFull(input.lenderId, input.piiFull);
    ctx.audit('reports.setSettings', 'lender', input.lenderId, { before, after: { ...next, piiFull: input.piiFull ?? before.piiFull }, reason: input.reason ?? null });
  })();
  return settingsOf(ctx, input.lenderId).settings;
};

const exportPackage: Handler<'reports.export'> = (input, ctx) => produceExport(ctx, input, null);

/** Writes, signs and records one package (by hand, or for a schedule). */
export async function produceExport(
  ctx: Ctx,
  input: { lenderId: number; batchId?: number | undefined; from?: string | undefined; to?: string | undefined; formats: ('csv' | 'xlsx')[]; zip: boolean; outDir?: string | undefined },
  scheduleId: number | null,
) {
  const r = ctx.store.repos;
  const { lender, settings } = settingsOf(ctx, input.lenderId);
  let batchNo: string | null = null;
  if (input.batchId !== undefined) {
    const b = r.batches.byId(input.batchId);
    if (!b || b.lenderId !== input.lenderId) throw new ApiFailure('NOT_FOUND', `${lender.code} has no batch with id ${input.batchId}.`);
    batchNo = b.batchNo;
  } else if (!input.from || !input.to) {
    throw new ApiFailure('BAD_INPUT', 'Name a batch, or a period with both its first and last day.');
  }
  const day = today(ctx);
  const to = input.to ?? day;
  const from = input.from ?? null;
  if (from && from > to) throw new ApiFailure('BAD_INPUT', `The period starts (${from}) after it ends (${to}).`);
  if (to > day) throw new ApiFailure('BAD_INPUT', `A report cannot cover days still to come (${to}).`);
  // A browser or a desk on the network downloads its packages: it must not make the store's computer write
  // into a folder it names (the team server, and calls through the listener the desktop app opened).
  if (input.outDir && (ctx.host === 'web' || ctx.host === 'server')) throw new ApiFailure('FORBIDDEN', 'Packages made from a browser or over the network go into the store’s exports folder only: download them.');
  const outDir = path.resolve(input.outDir ?? path.join(ctx.store.files.dir, 'exports'));
  // About 2 KB a case per format (the cases, their attempts and payments), twice over when zipped.
  requireFreeSpace(outDir, caseWriter(r.db).countOfLender(input.lenderId) * 2048 * input.formats.length * (input.zip ? 2 : 1));
  const stamp = ctx.now().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  // Written under a partial name and renamed once signed (core/reports/staging.ts); two packages in the
  // same second get -2, -3 …: nothing already written is ever overwritten.
  const staged = stagePackage(outDir, `${lender.code}-${batchNo ?? `${from}_${to}`}-${stamp}`.replace(/[^\w.-]+/g, '_'), input.zip);
  const dir = staged.dir;

  const { row: key, privateKey } = currentKey(ctx);
  const written = await runExportWorker({
    dbFile: ctx.store.files.db,
    keyHex: ctx.store.masterKey.toString('hex'),
    nativeBinding: ctx.store.nativeBinding,
    dir,
    spec: {
      agency: r.meta.get('agency_name') ?? 'AgencyDesk',
      lender: { code: lender.code, name: lender.name },
      scope: { lenderId: input.lenderId, batchId: input.batchId ?? null },
      batchNo,
      period: { from, to },
      formats: input.formats,
      language: settings.language,
      template: settings.template,
      piiFull: settings.piiFull,
      generatedAt: ctx.now().toISOString(),
      generatedBy: ctx.user!.username,
      view: { timeZone: settings.timeZone, csvEncoding: settings.csvEncoding, outcomes: Object.fromEntries(outcomesOf(ctx).map((o) => [o.code, o.labels])) },
      key: { publicPem: key.public_pem, fingerprint: key.fingerprint },
    },
  }).catch((e: unknown) => {
    discardPackage(staged);
    throw e;
  });
  // On the record before it is signed: a package that exists was always announced in the audit log.
  r.db.transaction(() => ctx.audit('reports.exportStarted', 'lender', input.lenderId, { scheduleId, path: staged.finalPath, batchNo, from, to, manifestSha256: written.manifestSha256, fingerprint: key.fingerprint })).immediate();
  let finalPath: string;
  try {
    signPackage(dir, written, signWith(privateKey));
    finalPath = await publishPackage(staged);
  } catch (e) {
    discardPackage(staged);
    throw e;
  }
  const files = written.files.map((f) => ({ name: f.name, sha256: f.sha256, bytes: f.bytes, rows: f.name.endsWith('.csv') || f.name.endsWith('.xlsx') ? f.rows : null }));
  const exportId = r.db.transaction(() => {
    const id = r.reports.addExport({
      lender_id: input.lenderId,
      batch_id: input.batchId ?? null,
      period_from: from,
      period_to: to,
      path: finalPath,
      files: JSON.stringify(files),
      fingerprint: key.fingerprint,
      manifest_sha256: written.manifestSha256,
      schedule_id: scheduleId,
      generated_by: ctx.user!.id,
      generated_at: ctx.now().toISOString(),
    });
    // What left the agency, and with how much personal data, is on the record.
    ctx.audit('reports.export', 'lender', input.lenderId, { exportId: id, scheduleId, path: finalPath, batchNo, from, to, rowCounts: written.rowCounts, personalData: settings.piiFull ? 'full' : 'masked', manifestSha256: written.manifestSha256, fingerprint: key.fingerprint });
    return id;
  })();
  return { exportId, path: finalPath, files, fingerprint: key.fingerprint, manifestSha256: written.manifestSha256, rowCounts: written.rowCounts };
};

const exportsList: Handler<'reports.exports'> = ({ lenderId, limit }, ctx) => ({
  exports: ctx.store.repos.reports.exports(lenderId ?? null, limit).map((e) => ({
    id: e.id,
    lender: e.lender,
    batchNo: e.batch_no,
    from: e.period_from,
    to: e.period_to,
    path: e.path,
    fingerprint: e.fingerprint,
    generatedBy: e.generated_by,
    generatedAt: e.generated_at,
    files: JSON.parse(e.files) as { name: string; sha256: string; bytes: number; rows: number | null }[],
  })),
});

/** An earlier package, for a host to hand over as a .zip (the file itself, or its folder zipped on the fly). */
const packageFile: Handler<'reports.package'> = ({ exportId }, ctx) => {
  const r = ctx.store.repos;
  const e = r.reports.exportById(exportId);
  if (!e) throw new ApiFailure('NOT_FOUND', `No report package with id ${exportId}.`);
  let zip: boolean;
  try {
    zip = !statSync(e.path).isDirectory();
  } catch {
    throw new ApiFailure('NOT_FOUND', `The package is no longer at ${e.path} (moved or deleted).`);
  }
  const base = path.basename(e.path);
  r.db.transaction(() => ctx.audit('reports.download', 'lender', e.lender_id, { exportId, path: e.path })).immediate();
  return { path: e.path, zip, fileName: zip ? base : `${base}.zip` };
};

const verify: Handler<'reports.verify'> = async (input, ctx) => {
  let target: FileSource;
  // An uploaded package is read sealed, with its key; the network's hosts read no path of the store's machine.
  if ('uploadId' in input.package) target = uploadSource(ctx.store.files.dir, input.package.uploadId);
  else if (UPLOAD_ONLY_HOSTS.includes(ctx.host)) throw new ApiFailure('FORBIDDEN', 'The web host and the team server verify uploaded packages only.');
  else target = { path: path.resolve(input.package.path) };
  const r = ctx.store.repos;
  const agency = r.meta.get('agency_name') ?? 'AgencyDesk';
  const known = [
    ...r.reports.keys().map((k) => ({ kind: 'agency' as const, name: k.retired_at ? `${agency} (retired key)` : agency, publicPem: k.public_pem })),
    ...r.reports.lenderKeys().map((l) => ({ kind: 'lender' as const, name: `${l.name} (${l.code})`, publicPem: l.public_key_pem })),
  ];
  // An upload's file is named by its id on disk: failures and the log name the file the user picked.
  const name = 'uploadId' in input.package ? input.package.name : path.basename(target.path);
  const result = await verifyPackage(target, { publicKeyPem: input.publicKeyPem, known, name });
  r.db.transaction(() => ctx.audit('reports.verify', 'package', name, { valid: result.valid, signer: result.signer, failures: result.failures.length })).immediate();
  return result;
};

function lenderKeyOf(ctx: Ctx, lenderId: number) {
  const l = ctx.store.repos.reports.lender(lenderId);
  if (!l) throw new ApiFailure('NOT_FOUND', `No lender with id ${lenderId}.`);
  return { publicPem: l.public_key_pem, fingerprint: l.public_key_pem ? fingerprintOf(l.public_key_pem) : null };
}

const setLenderKey: Handler<'lenders.setPublicKey'> = ({ lenderId, publicPem }, ctx) => {
  const before = lenderKeyOf(ctx, lenderId);
  let pem: string | null = null;
  if (publicPem !== null) {
    try {
      const key = createPublicKey(publicPem);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error(`this is a ${key.asymmetricKeyType} key`);
      pem = key.export({ type: 'spki', format: 'pem' }).toString();
    } catch (e) {
      throw new ApiFailure('BAD_INPUT', `Not an Ed25519 public key in PEM form (${(e as Error).message}).`);
    }
  }
  const r = ctx.store.repos;
  r.db.transaction(() => {
    r.reports.setLenderKey(lenderId, pem);
    ctx.audit('lenders.setPublicKey', 'lender', lenderId, { before: before.fingerprint, after: pem ? fingerprintOf(pem) : null });
  })();
  return lenderKeyOf(ctx, lenderId);
};

export const reportHandlers = {
  'lenders.publicKey': ({ lenderId }: { lenderId: number }, ctx: Ctx) => lenderKeyOf(ctx, lenderId),
  'lenders.setPublicKey': setLenderKey,
  'signing.keys': (_input: Record<string, never>, ctx: Ctx) => keys(ctx),
  'signing.rotate': ({ reason }: { reason: string }, ctx: Ctx) => {
    ctx.store.repos.db.transaction(() => newSigningKey(ctx, reason))();
    return keys(ctx);
  },
  'reports.settings': ({ lenderId }: { lenderId: number }, ctx: Ctx) => settingsOf(ctx, lenderId).settings,
  'reports.setSettings': setSettings,
  'reports.export': exportPackage,
  'reports.exports': exportsList,
  'reports.verify': verify,
  'reports.package': packageFile,
};

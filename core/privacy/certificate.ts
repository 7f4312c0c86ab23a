// The erasure certificate for a lender: a folder signed like a report package (manifest.json and SHA256SUMS
// with detached Ed25519 signatures, the public key), listing the case numbers whose personal data was erased
// and when, so `agencydesk verify FOLDER` (or openssl) checks it. The key comes from the report signing
// functions (currentKey), so whatever guards that key guards the certificate too.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Ctx } from '../context.js';
import { currentKey } from '../reports/keys.js';
import { MANIFEST, PUBLIC_KEY, SUMS, signPackage, signWith } from '../reports/package.js';
import { csvText } from '../../shared/domain/reports/csv-safe.js';

export const CERTIFICATE_FORMAT = 'agencydesk-erasure/1';
const CSV = 'erased-cases.csv';
const TEXT = 'certificate.txt';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function statement(agency: string, lender: string, at: string, n: number, fingerprint: string): string {
  return [
    `个人信息删除证明 / Certificate of erasure of personal information`,
    '',
    `受托方 Processor: ${agency}`,
    `委托方 Lender: ${lender}`,
    `删除时间 Erased at (UTC): ${at}`,
    `案件数 Cases: ${n} (${CSV})`,
    '',
    '上述案件的借款人及联系人个人信息（姓名、身份证号、电话、地址、联系人、备注、附件、录音索引、检索数据）已从本机构系统中删除，',
    '仅保留合同要求的案件编号、金额、日期与结果。',
    'The personal information of the borrowers and contacts of the cases listed (names, ID numbers, phones, addresses,',
    'contacts, notes, attachments, recording references, search data) has been erased from our system; only the case',
    'number, amounts, dates and outcomes required by the contract are kept.',
    '',
    `签名密钥指纹 Signing key (SHA-256 of the public key): ${fingerprint}`,
    `Check: agencydesk verify <this folder>   or   openssl pkeyutl -verify -pubin -inkey ${PUBLIC_KEY} -rawin -in ${MANIFEST} -sigfile manifest.sig`,
    '',
  ].join('\n');
}

/** Writes and signs run `runId`'s certificate into the store's exports folder; returns where and by which key. */
export function writeCertificate(ctx: Ctx, runId: number): { path: string; fingerprint: string; manifestSha256: string; cases: number } {
  const r = ctx.store.repos;
  const run = r.privacy.run(runId)!;
  const rows = r.privacy.erasedIn(runId);
  const agency = r.meta.get('agency_name') ?? 'AgencyDesk';
  const at = rows.reduce((m, x) => (x.erased_at > m ? x.erased_at : m), run.started_at);
  const { row: key, privateKey } = currentKey(ctx);
  const stamp = run.started_at.replace(/[-:]/g, '').replace(/\..*/, '');
  const finalDir = path.join(ctx.store.files.dir, 'exports', `ERASURE-${run.lender_code}-${stamp}-${runId}`.replace(/[^\w.-]+/g, '_'));
  const dir = `${finalDir}.partial`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: { name: string; data: Buffer; rows: number | null }[] = [
    {
      name: CSV,
      rows: rows.length,
      data: Buffer.from(csvText([['案件编号 case_no', '批次 batch', '结果 outcome', '删除时间 erased_at (UTC)', '委案金额(分) amount_fen'], ...rows.map((x) => [x.case_no, x.batch_no, x.stage, x.erased_at, x.overdue_amount_fen])]), 'utf8'),
    },
    { name: TEXT, rows: null, data: Buffer.from(statement(agency, `${run.lender_name} (${run.lender_code})`, at, rows.length, key.fingerprint), 'utf8') },
    { name: PUBLIC_KEY, rows: null, data: Buffer.from(key.public_pem, 'utf8') },
  ];
  const sums = Buffer.from(files.map((f) => `${sha(f.data)}  ${f.name}\n`).join(''), 'utf8');
  files.push({ name: SUMS, rows: null, data: sums });
  for (const f of files) writeFileSync(path.join(dir, f.name), f.data);
  const manifest = Buffer.from(
    `${JSON.stringify(
      {
        format: CERTIFICATE_FORMAT,
        agency,
        lender: { code: run.lender_code, name: run.lender_name },
        erasureRun: runId,
        erasedAt: at,
        generatedBy: run.started_by,
        cases: rows.length,
        caseNumbers: rows.map((x) => x.case_no),
        files: files.map((f) => ({ name: f.name, sha256: sha(f.data), bytes: f.data.length, rows: f.rows })),
        signingKey: { algorithm: 'Ed25519', fingerprint: key.fingerprint, publicKeyFile: PUBLIC_KEY },
        auditHeadHash: r.audit.headHash(),
      },
      null,
      2,
    )}\n`,
    'utf8',
  );
  writeFileSync(path.join(dir, MANIFEST), manifest);
  signPackage(dir, { manifest, sums }, signWith(privateKey));
  if (existsSync(finalDir)) rmSync(finalDir, { recursive: true, force: true });
  renameSync(dir, finalDir);
  return { path: finalDir, fingerprint: key.fingerprint, manifestSha256: sha(manifest), cases: rows.length };
}

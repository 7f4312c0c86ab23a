// Signed reports to lenders: the agency's Ed25519 signing key, per-lender export settings, producing a
// report package (CSV/XLSX + manifest.json + manifest.sig + public key + README.txt), and verifying one.
import { z } from 'zod';
import { method } from './method.js';
import { idSchema, isoTimeSchema } from './models.js';
import { fileRefSchema } from './placements.js';
import { dateSchema } from './money.js';
import { COLUMNS, REPORTS } from '../domain/reports/columns.js';
import { CSV_ENCODINGS, isTimeZone } from '../domain/reports/view.js';

export const signingKeySchema = z.object({
  fingerprint: z.string(),
  publicPem: z.string(),
  createdAt: isoTimeSchema,
  retiredAt: isoTimeSchema.nullable(),
});

const templateSchema = z
  .object(Object.fromEntries(REPORTS.map((k) => [k, z.array(z.object({ key: z.enum(COLUMNS[k].map((c) => c.key) as [string, ...string[]]), header: z.string().trim().max(60) }).strict()).max(60).optional()])))
  .strict();

export const reportSettingsSchema = z.object({
  language: z.enum(['zh', 'en']),
  template: templateSchema,
  /** Full ID numbers, phones and names in reports (only where the lender's contract allows); default masked. */
  piiFull: z.boolean(),
  /** The zone report times are written in, with their offset (IANA name; default Asia/Shanghai). */
  timeZone: z.string(),
  /** CSV files: UTF-8 with a BOM (default) or GB18030. */
  csvEncoding: z.enum(CSV_ENCODINGS),
});

const timeZoneSchema = z.string().trim().refine(isTimeZone, { message: 'not a time zone: give an IANA name such as Asia/Shanghai' });

export const FORMATS = ['csv', 'xlsx'] as const;

export const packageFileSchema = z.object({ name: z.string(), sha256: z.string(), bytes: z.number().int(), rows: z.number().int().nullable() });

export const exportResultSchema = z.object({
  exportId: idSchema,
  path: z.string(),
  files: z.array(packageFileSchema),
  fingerprint: z.string(),
  manifestSha256: z.string(),
  rowCounts: z.record(z.string(), z.number().int()),
});

export const verifyResultSchema = z.object({
  valid: z.boolean(),
  /** Who signed, when the key is known: the agency (current or retired key) or a lender's registered key. */
  signer: z.object({ kind: z.enum(['agency', 'lender', 'unknown']), name: z.string().nullable(), fingerprint: z.string() }).nullable(),
  manifest: z.record(z.string(), z.unknown()).nullable(),
  /** Every problem found, each naming the file or the signature. */
  failures: z.array(z.object({ file: z.string(), reason: z.string() })),
  files: z.array(z.object({ name: z.string(), ok: z.boolean() })),
});
export type VerifyResult = z.infer<typeof verifyResultSchema>;

export const reportMethods = {
  'signing.keys': method({
    access: 'lenders.read',
    summary: "The agency's signing keys (Ed25519): the current one and retired ones, public halves only",
    input: z.object({}).strict(),
    output: z.object({ current: signingKeySchema, retired: z.array(signingKeySchema) }),
  }),
  'signing.rotate': method({
    access: 'settings.manage',
    summary: 'Make a new signing key; the old public key stays to verify old reports',
    input: z.object({ reason: z.string().trim().min(2).max(500) }).strict(),
    output: z.object({ current: signingKeySchema, retired: z.array(signingKeySchema) }),
  }),
  'reports.settings': method({
    access: 'lenders.read',
    summary: "A lender's report settings: header language, export template, personal-data mode",
    input: z.object({ lenderId: idSchema }).strict(),
    output: reportSettingsSchema,
  }),
  'reports.setSettings': method({
    access: 'lenders.manage',
    summary: "Set a lender's report settings (full personal data needs the contract clause, recorded)",
    input: z
      .object({
        lenderId: idSchema,
        language: z.enum(['zh', 'en']).optional(),
        template: templateSchema.optional(),
        piiFull: z.boolean().optional(),
        timeZone: timeZoneSchema.optional(),
        csvEncoding: z.enum(CSV_ENCODINGS).optional(),
        reason: z.string().trim().max(500).optional(),
      })
      .strict(),
    output: reportSettingsSchema,
  }),
  'reports.export': method({
    access: 'reports.export',
    summary: 'Produce a signed report package for a lender: a batch or a period',
    input: z
      .object({
        lenderId: idSchema,
        batchId: idSchema.optional(),
        from: dateSchema.optional(),
        to: dateSchema.optional(),
        formats: z.array(z.enum(FORMATS)).min(1).max(2).default(['csv', 'xlsx']),
        /** One .zip instead of a folder. */
        zip: z.boolean().default(false),
        /** Where to put it (desktop and command line); default: the store's exports folder. */
        outDir: z.string().min(1).max(4096).optional(),
      })
      .strict(),
    output: exportResultSchema,
  }),
  'reports.exports': method({
    access: 'reports.export',
    summary: 'Report packages produced so far',
    input: z.object({ lenderId: idSchema.optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.object({
      exports: z.array(z.object({ id: idSchema, lender: z.string(), batchNo: z.string().nullable(), from: z.string().nullable(), to: z.string().nullable(), path: z.string(), fingerprint: z.string(), generatedBy: z.string().nullable(), generatedAt: isoTimeSchema, files: z.array(packageFileSchema) })),
    }),
  }),
  'reports.package': method({
    access: 'reports.export',
    summary: 'Where a package produced earlier is, for a host to hand it over as a .zip (web download, desktop save dialog); audited',
    input: z.object({ exportId: idSchema }).strict(),
    output: z.object({ path: z.string(), zip: z.boolean(), fileName: z.string() }),
  }),
  'lenders.publicKey': method({
    access: 'lenders.read',
    summary: "A lender's registered Ed25519 public key (to verify the packages they sign), if any",
    input: z.object({ lenderId: idSchema }).strict(),
    output: z.object({ publicPem: z.string().nullable(), fingerprint: z.string().nullable() }),
  }),
  'lenders.setPublicKey': method({
    access: 'lenders.manage',
    summary: "Register (or remove, with null) a lender's Ed25519 public key, PEM",
    input: z.object({ lenderId: idSchema, publicPem: z.string().max(10_000).nullable() }).strict(),
    output: z.object({ publicPem: z.string().nullable(), fingerprint: z.string().nullable() }),
  }),
  'reports.verify': method({
    access: 'session',
    summary: 'Verify a report package (folder or .zip): every file against the manifest, and its signature',
    input: z.object({ package: fileRefSchema, publicKeyPem: z.string().max(10_000).optional() }).strict(),
    output: verifyResultSchema,
  }),
};

// Backups: one verified, encrypted file per run, scheduled and rotated (db/backup.ts, core/services/backup.ts).
import { z } from 'zod';
import { method } from './method.js';

export const backupManifestSchema = z.object({
  format: z.string(),
  createdAt: z.string(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  storeId: z.string(),
  counts: z.object({ cases: z.number().int(), payments: z.number().int(), contactAttempts: z.number().int(), auditEntries: z.number().int() }),
  auditHead: z.object({ seq: z.number().int(), hash: z.string() }),
  db: z.object({ file: z.string(), bytes: z.number().int(), sha256: z.string() }),
  keyslotsSha256: z.string(),
});

export const backupSettingsSchema = z.object({
  /** Where scheduled backups go (a second disk or a NAS); null: no schedule. */
  folder: z.string().trim().min(1).max(1000).nullable(),
  everyHours: z.number().int().min(1).max(24 * 7),
  keepDaily: z.number().int().min(1).max(365),
  keepWeekly: z.number().int().min(0).max(520),
});
export type BackupSettings = z.infer<typeof backupSettingsSchema>;

export const backupRunSchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  file: z.string().nullable(),
  bytes: z.number().int().nullable(),
  seconds: z.number(),
  error: z.string().nullable(),
  scheduled: z.boolean(),
});

const folderPath = z.string().trim().min(1).max(1000);

export const backupMethods = {
  'backup.status': method({
    access: 'settings.manage',
    summary: 'Backup settings, the last run and the last good backup, and warnings about where the store sits',
    input: z.object({}).strict(),
    output: z.object({
      settings: backupSettingsSchema,
      lastRun: backupRunSchema.nullable(),
      lastGood: backupRunSchema.nullable(),
      /** No good backup in the last two days (or never). */
      stale: z.boolean(),
      running: z.boolean(),
      storeDir: z.string(),
      /** e.g. "cloud-sync: …", "network: nfs": the store should sit on a local disk. */
      storeWarnings: z.array(z.string()),
    }),
  }),
  'backup.configure': method({
    access: 'settings.manage',
    summary: 'Set the scheduled backup folder, interval and rotation (keep N daily, M weekly)',
    input: backupSettingsSchema.partial().strict(),
    output: backupSettingsSchema,
  }),
  'backup.run': method({
    access: 'settings.manage',
    summary: 'Back up the store now (to the given folder or the scheduled one): one verified encrypted file',
    input: z.object({ folder: z.string().trim().min(1).max(1000).optional() }).strict(),
    output: z.object({ file: z.string(), bytes: z.number().int(), seconds: z.number(), manifest: backupManifestSchema, removed: z.array(z.string()) }),
  }),
  'system.storage': method({
    access: 'system.check',
    summary: 'Where the store sits: its folder, network-share or cloud-sync warnings, free disk space',
    input: z.object({}).strict(),
    output: z.object({ storeDir: z.string(), warnings: z.array(z.string()), freeBytes: z.number().nullable(), storeBytes: z.number().int() }),
  }),
  'backup.list': method({
    access: 'settings.manage',
    summary: 'The finished backup files in a folder (default: the scheduled one), newest first, to restore from',
    input: z.object({ folder: folderPath.optional() }).strict(),
    output: z.object({ folder: z.string().nullable(), files: z.array(z.object({ file: z.string(), name: z.string(), at: z.string(), bytes: z.number().int() })) }),
  }),
  'backup.restore': method({
    access: 'settings.manage',
    summary: 'Restore a backup file into a new, empty folder (never the live store), checked with a password valid at backup time',
    input: z
      .object({
        file: folderPath,
        target: folderPath,
        /** Whose slot in the backup opens it (default: the caller), with their password as it was then … */
        username: z.string().trim().min(1).max(64).optional(),
        password: z.string().max(1024).optional(),
        /** … or the recovery key. */
        recoveryKey: z.string().max(200).optional(),
      })
      .strict(),
    output: z.object({ store: z.string(), manifest: backupManifestSchema }),
  }),
};

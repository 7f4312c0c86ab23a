// `agencydesk backup --to FOLDER` (through the backup.run method: admins only, verified, one file) and
// `agencydesk restore --from FILE --store NEWDIR` (no running backend: it makes a new store folder, checked with
// a password that was valid when the backup was taken, or the recovery key).
import { APP_VERSION } from '../shared/version.js';
import { restoreBackup, type RestoreKeys } from '../db/backup.js';
import { unwrapBackupKeys } from '../core/restore-key.js';
import { CliError } from './session.js';
import { withLogin, type Out } from './commands.js';
import { promptSecret } from './prompt.js';

type Opts = Record<string, string | boolean | undefined>;

export async function backup(store: string, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  const folder = typeof o.to === 'string' ? o.to : undefined;
  await withLogin(store, env, async (s) => {
    const r = await s.call('backup.run', folder ? { folder } : {});
    const m = r.manifest;
    out.print(
      [
        `backup:     ${r.file}`,
        `size:       ${(r.bytes / 2 ** 20).toFixed(1)} MB in ${r.seconds.toFixed(1)} s (verified: integrity, audit chain, SHA-256)`,
        `contents:   ${m.counts.cases} cases, ${m.counts.payments} payments, ${m.counts.contactAttempts} contact attempts, ${m.counts.auditEntries} audit entries`,
        `audit head: ${m.auditHead.seq} ${m.auditHead.hash}`,
      ].join('\n'),
      r,
    );
  });
}

/** The master key from the bundled slots: AGENCYDESK_USER + AGENCYDESK_PASSWORD, or AGENCYDESK_RECOVERY_KEY. */
async function unwrapFromSlots(slotsPath: string, storeId: string, env: NodeJS.ProcessEnv): Promise<RestoreKeys> {
  if (env.AGENCYDESK_RECOVERY_KEY) return unwrapBackupKeys(slotsPath, storeId, { recoveryKey: env.AGENCYDESK_RECOVERY_KEY });
  const username = env.AGENCYDESK_USER ?? 'admin';
  const password = env.AGENCYDESK_PASSWORD ?? (await promptSecret(`Password for ${username} (as it was when the backup was taken): `));
  return unwrapBackupKeys(slotsPath, storeId, { username, password });
}

export async function restore(storeDir: string, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  const from = typeof o.from === 'string' ? o.from : undefined;
  if (!from) throw new CliError({ code: 'BAD_INPUT', message: '--from FILE is required' });
  if (!o.store) throw new CliError({ code: 'BAD_INPUT', message: '--store NEWDIR is required (a new, empty folder)' });
  const m = await restoreBackup(from, storeDir, (slots, storeId) => unwrapFromSlots(slots, storeId, env), { nowMs: Date.now(), anchorDir: env.AGENCYDESK_ANCHOR_DIR || null });
  out.print(
    [
      `restored:   ${storeDir} (from ${from}, taken ${m.createdAt} by AgencyDesk ${m.appVersion}; this is ${APP_VERSION})`,
      `contents:   ${m.counts.cases} cases, ${m.counts.payments} payments, ${m.counts.contactAttempts} contact attempts, ${m.counts.auditEntries} audit entries`,
      `audit head: ${m.auditHead.seq} ${m.auditHead.hash} (verified)`,
      'Log in with a password that was valid when the backup was taken.',
    ].join('\n'),
    { store: storeDir, manifest: m },
  );
}

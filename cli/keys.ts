// `agencydesk rekey` (a new master key: the store re-encrypted, every remaining key slot given the new key) and
// `agencydesk key-for-it` (the raw master key as SQLCipher 4's PRAGMA key line; audited). Admins only.
import { withLogin, type Out } from './commands.js';
import { CliError, type CliSession } from './session.js';
import type { ApiError } from '../shared/contract/envelope.js';
import { promptSecret } from './prompt.js';

type Opts = Record<string, string | boolean | undefined>;

export async function rekey(store: string, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  await withLogin(store, env, async (s) => {
    // A background job in this process's backend: wait for it (closing the backend would stop it).
    const { jobId } = await s.call('keys.rekey', { newRecoveryKey: o['new-recovery-key'] === true });
    const job = await waitForRekey(s, jobId);
    if (job.state === 'failed' || !job.result) throw new CliError({ code: (job.error?.code ?? 'INTERNAL') as ApiError['code'], message: job.error?.message ?? 'The key change failed.' });
    const r = job.result;
    out.print(
      [
        `master key changed: generation ${r.generation}, ${r.seconds.toFixed(1)} s. Old slot files, keyslots.json.bak copies and old passwords no longer open this store.`,
        ...r.dropped.map((d) => `  key slot dropped: ${d.username} (${d.reason})`),
        ...(r.dropped.some((d) => d.reason.includes('reset')) ? ['  → reset those users’ passwords (agencydesk user passwd --username U).'] : []),
        ...(r.recoveryKey
          ? ['', 'NEW RECOVERY KEY (shown once; the old one no longer works). Write it down and keep it offline:', '', `  ${r.recoveryKey}`, '']
          : []),
        'Backups made before this change are still under the old key: whoever could log in then can open them.',
      ].join('\n'),
      r,
    );
  });
}

/** Polls the job until it ends, showing its phase and percent on stderr (a line per phase; on a terminal, live). */
async function waitForRekey(s: CliSession, jobId: string) {
  let job = await s.call('keys.rekeyStatus', { jobId });
  let shown = '';
  const tty = process.stderr.isTTY;
  while (job.state === 'running') {
    const mb = (n: number) => (n / 2 ** 20).toFixed(0);
    const line = `${job.phase} ${Math.floor(job.percent)}%${job.phase === 'copying' ? ` (${mb(job.copiedBytes)} of ${mb(job.totalBytes)} MB)` : ''}`;
    if (tty) process.stderr.write(`\r${line}   `);
    else if (!shown.startsWith(job.phase)) process.stderr.write(`${line}\n`);
    shown = line;
    await new Promise((r) => setTimeout(r, 250));
    job = await s.call('keys.rekeyStatus', { jobId });
  }
  if (tty && shown) process.stderr.write('\n');
  return job;
}

export async function keyForIt(store: string, env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  await withLogin(store, env, async (s) => {
    const password = env.AGENCYDESK_PASSWORD ?? (await promptSecret('Your password again (revealing the master key is audited): '));
    const r = await s.call('keys.revealMasterKey', { password });
    out.print(
      [
        `-- AgencyDesk master key, generation ${r.generation}. Whoever has it reads and changes the store WITHOUT the audit log.`,
        '-- It changes at every rekey. For genuine SQLCipher 4: sqlcipher agency.db, then:',
        r.pragma,
      ].join('\n'),
      r,
    );
  });
}

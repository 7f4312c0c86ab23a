// `agencydesk rekey` (a new master key: the store re-encrypted, every remaining key slot given the new key) and
// `agencydesk key-for-it` (the raw master key as SQLCipher 4's PRAGMA key line; audited). Admins only.
import { withLogin, type Out } from './commands.js';
import { promptSecret } from './prompt.js';

type Opts = Record<string, string | boolean | undefined>;

export async function rekey(store: string, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  await withLogin(store, env, async (s) => {
    const r = await s.call('keys.rekey', { newRecoveryKey: o['new-recovery-key'] === true });
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

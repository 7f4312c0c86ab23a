// The `agencydesk` commands. Each goes through core's contract methods, never around them.
import { contract, METHOD_NAMES } from '../shared/contract/registry.js';
import { CliError, CliSession, newPassword } from './session.js';
import type { Role } from '../shared/domain/roles.js';
import { assign } from './assign.js';
import { waitForImport } from './import-job.js';
import { describeTerms, hasTermOptions, termsFromOptions } from './lender-terms.js';
import { NO_CHARGES } from '../shared/domain/money/balance.js';

export interface Out {
  json: boolean;
  print(text: string, value: unknown): void;
}

type Opts = Record<string, string | boolean | undefined>;
const str = (o: Opts, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
function need(o: Opts, k: string): string {
  const v = str(o, k);
  if (!v) throw new CliError({ code: 'BAD_INPUT', message: `--${k} is required` });
  return v;
}

export async function withLogin<T>(store: string, env: NodeJS.ProcessEnv, fn: (s: CliSession) => Promise<T>): Promise<T> {
  const s = CliSession.open(store);
  try {
    await s.login(env);
    return await fn(s);
  } finally {
    await s.close();
  }
}

export async function init(store: string, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  const s = CliSession.open(store);
  try {
    const username = str(o, 'admin') ?? 'admin';
    const password = await newPassword(env, username);
    const r = await s.call('system.setup', {
      agencyName: str(o, 'agency') ?? 'AgencyDesk',
      admin: { username, displayName: str(o, 'name') ?? username, password },
    });
    s.useSession(r.session.token);
    out.print(
      [
        `Store created in ${store} for ${username}.`,
        '',
        'RECOVERY KEY (shown once; write it down and keep it offline — it opens the store if every password is lost):',
        '',
        `    ${r.recoveryKey}`,
        '',
      ].join('\n'),
      { store, admin: username, recoveryKey: r.recoveryKey },
    );
  } finally {
    await s.close();
  }
}

export async function user(sub: string | undefined, store: string, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  await withLogin(store, env, async (s) => {
    const findUser = async (username: string) => {
      const { users } = await s.call('users.list', {});
      const u = users.find((x) => x.username === username.toLowerCase());
      if (!u) throw new CliError({ code: 'NOT_FOUND', message: `No user named ${username}.` });
      return u;
    };
    switch (sub) {
      case 'add': {
        const username = need(o, 'username');
        let teamId: number | null = null;
        const teamName = str(o, 'team');
        if (teamName) {
          const { teams } = await s.call('teams.list', {});
          teamId = teams.find((t) => t.name === teamName)?.id ?? (await s.call('teams.create', { name: teamName })).id;
        }
        const password = await newPassword(env, username);
        const u = await s.call('users.create', { username, displayName: str(o, 'name') ?? username, role: need(o, 'role') as Role, teamId, password });
        return out.print(`Added ${u.username} (${u.role}${u.teamName ? `, team ${u.teamName}` : ''}).`, u);
      }
      case 'list': {
        const { users } = await s.call('users.list', {});
        const lines = users.map((u) => `${u.username.padEnd(20)} ${u.role.padEnd(10)} ${(u.teamName ?? '-').padEnd(14)} ${u.status}  ${u.displayName}`);
        return out.print(lines.join('\n'), users);
      }
      case 'disable': {
        const u = await s.call('users.disable', { id: (await findUser(need(o, 'username'))).id });
        return out.print(`Disabled ${u.username}; their key slot is removed.`, u);
      }
      case 'passwd': {
        const me = await s.call('auth.me', {});
        const target = str(o, 'username')?.toLowerCase() ?? me.user.username;
        const password = await newPassword(env, target);
        if (target === me.user.username) {
          await s.call('auth.changePassword', { currentPassword: env.AGENCYDESK_PASSWORD ?? '', newPassword: password });
        } else {
          await s.call('users.resetPassword', { id: (await findUser(target)).id, password });
        }
        return out.print(`Password changed for ${target}.`, { username: target });
      }
      default:
        throw new CliError({ code: 'BAD_INPUT', message: 'user: expected add, list, disable or passwd' });
    }
  });
}

export async function check(store: string, env: NodeJS.ProcessEnv, out: Out): Promise<boolean> {
  return withLogin(store, env, async (s) => {
    const r = await s.call('system.check', {});
    const a = r.audit;
    out.print(
      [
        `integrity:  ${r.integrityOk ? 'ok' : r.integrity.join('; ')}`,
        `schema:     ${r.schemaVersion} (this AgencyDesk knows up to ${r.latestSchemaVersion})`,
        `audit log:  ${a.ok ? `ok, ${a.checked} entries, head ${a.headHash}` : `BROKEN at entry ${a.brokenAt?.seq}: ${a.brokenAt?.reason}`}`,
        // Free text an erasure cleared (migration 022): the chain still verifies; the certificate says why.
        ...(a.textErased ?? []).map((t) => `  ${t.entries} ${t.entries === 1 ? "entry's" : "entries'"} text erased (by erasure run ${t.runId}, certificate manifest ${t.manifestSha256 ?? 'not yet written'})`),
        `anchor:     ${r.anchor.ok ? 'ok' : r.anchor.status === 'unverified' ? 'NOT VERIFIED' : `FAILED (${r.anchor.status})`}${r.anchor.verified ? '' : ' (MAC not checked: this session cannot derive the anchor key)'}: ${r.anchor.message}`,
        // The anchor's copies outside the store folder (beside backups, app data): each one compared.
        ...(r.anchor.outside ?? []).map((o) => `  copy ${o.file}: ${o.status}${o.seq !== null ? ` (entry ${o.seq}, ${o.at})` : ''}`),
        `references: ${r.refs.ok ? `ok, ${r.refs.checked} rows and entries` : `${r.refs.problems.length}${r.refs.problems.length === 50 ? '+' : ''} PROBLEM(S)`}${r.refs.olderUnmatched ? `; ${r.refs.olderUnmatched} older row(s) named by no entry` : ''}`,
        ...r.refs.problems.map((p) => `  - ${p.reason}`),
      ].join('\n'),
      r,
    );
    return r.integrityOk && a.ok && r.anchor.ok && r.refs.ok;
  });
}

export function methods(out: Out): void {
  const rows = METHOD_NAMES.map((name) => ({ name, access: contract[name].access, summary: contract[name].summary }));
  out.print(rows.map((r) => `${r.name.padEnd(22)} ${r.access.padEnd(16)} ${r.summary}`).join('\n'), rows);
}

export async function call(store: string, method: string | undefined, json: string | undefined, env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  if (!method) throw new CliError({ code: 'BAD_INPUT', message: 'call: METHOD is required (see `agencydesk methods`)' });
  let input: unknown = {};
  if (json !== undefined) {
    try {
      input = JSON.parse(json);
    } catch {
      throw new CliError({ code: 'BAD_INPUT', message: 'call: the input is not valid JSON' });
    }
  }
  const value = await withLogin(store, env, async (s) => {
    const v = await s.callRaw(method, input);
    // An import runs in a worker of this process: closing the store now would stop it, so wait for the
    // job and print how it ended (what `import.status` says).
    return method === 'import.start' ? waitForImport(s, (v as { jobId: string }).jobId, !out.json) : v;
  });
  out.print(JSON.stringify(value, null, 2), value);
}

export async function lender(sub: string | undefined, store: string, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  await withLogin(store, env, async (s) => {
    switch (sub) {
      case 'add': {
        const l = await s.call('lenders.create', {
          code: need(o, 'code'),
          name: need(o, 'name'),
          contact: str(o, 'contact') ?? '',
          ...(str(o, 'amount-mismatch') ? { amountMismatchPolicy: str(o, 'amount-mismatch') as 'reject_row' } : {}),
          // The contract's terms, if given; without them the lender accrues nothing until `lender terms`.
          ...(hasTermOptions(o) ? { terms: termsFromOptions(o, { ...NO_CHARGES, order: [...NO_CHARGES.order] }) } : {}),
        });
        const money = await s.call('money.settings', { lenderId: l.id });
        if (str(o, 'hotline') !== undefined || str(o, 'payment-account') !== undefined) {
          await s.call('money.setSettings', { lenderId: l.id, contact: { hotline: str(o, 'hotline') ?? '', paymentAccount: str(o, 'payment-account') ?? '' } });
        }
        return out.print(`Added lender ${l.code} (${l.name}).\n${describeTerms(l.code, money.terms, money.termsSet)}`, { ...l, terms: money.terms });
      }
      case 'terms': {
        // Show or change a lender's contract terms (and the hotline and payment account templates give).
        const code = (str(o, 'lender') ?? need(o, 'code')).toUpperCase();
        const found = (await s.call('lenders.list', {})).lenders.find((x) => x.code === code);
        if (!found) throw new CliError({ code: 'NOT_FOUND', message: `No lender with code ${code}.` });
        const before = await s.call('money.settings', { lenderId: found.id });
        const contact = str(o, 'hotline') !== undefined || str(o, 'payment-account') !== undefined
          ? { hotline: str(o, 'hotline') ?? before.contact.hotline, paymentAccount: str(o, 'payment-account') ?? before.contact.paymentAccount }
          : undefined;
        const after = hasTermOptions(o) || contact
          ? await s.call('money.setSettings', { lenderId: found.id, ...(hasTermOptions(o) ? { terms: termsFromOptions(o, before.terms) } : {}), ...(contact ? { contact } : {}) })
          : before;
        return out.print(describeTerms(code, after.terms, after.termsSet), { code, terms: after.terms, termsSet: after.termsSet, contact: after.contact });
      }
      case 'policy': {
        // What an import does with bad rows and with a total that disagrees with its components.
        const code = need(o, 'code').toUpperCase();
        const found = (await s.call('lenders.list', {})).lenders.find((x) => x.code === code);
        if (!found) throw new CliError({ code: 'NOT_FOUND', message: `No lender with code ${code}.` });
        const l = await s.call('lenders.update', {
          id: found.id,
          ...(str(o, 'amount-mismatch') ? { amountMismatchPolicy: str(o, 'amount-mismatch') as 'reject_row' } : {}),
          ...(str(o, 'reject-policy') ? { rejectPolicy: str(o, 'reject-policy') as 'block_file' } : {}),
        });
        return out.print(`${l.code}: bad rows ${l.rejectPolicy}, total ≠ components ${l.amountMismatchPolicy}.`, l);
      }
      case 'list': {
        const { lenders } = await s.call('lenders.list', {});
        return out.print(lenders.map((l) => `${l.code.padEnd(12)} ${String(l.caseCount).padStart(9)} cases  ${l.name}${l.termsSet ? '' : '  [terms not set 未设置合同条款]'}`).join('\n'), lenders);
      }
      default:
        throw new CliError({ code: 'BAD_INPUT', message: 'lender: expected add, list, policy or terms' });
    }
  });
}

export function assignCases(store: string, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<boolean> {
  return withLogin(store, env, (s) => assign(s, o, out));
}

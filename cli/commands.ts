// The `agencydesk` commands. Each goes through core's contract methods, never around them.
import path from 'node:path';
import { contract, METHOD_NAMES } from '../shared/contract/registry.js';
import { CliError, CliSession, newPassword } from './session.js';
import type { Role } from '../shared/domain/roles.js';
import { assign } from './assign.js';

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
      ].join('\n'),
      r,
    );
    return r.integrityOk && a.ok;
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
  const value = await withLogin(store, env, (s) => s.callRaw(method, input));
  out.print(JSON.stringify(value, null, 2), value);
}

export async function lender(sub: string | undefined, store: string, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  await withLogin(store, env, async (s) => {
    switch (sub) {
      case 'add': {
        const l = await s.call('lenders.create', { code: need(o, 'code'), name: need(o, 'name'), contact: str(o, 'contact') ?? '' });
        return out.print(`Added lender ${l.code} (${l.name}).`, l);
      }
      case 'list': {
        const { lenders } = await s.call('lenders.list', {});
        return out.print(lenders.map((l) => `${l.code.padEnd(12)} ${String(l.caseCount).padStart(9)} cases  ${l.name}`).join('\n'), lenders);
      }
      default:
        throw new CliError({ code: 'BAD_INPUT', message: 'lender: expected add or list' });
    }
  });
}

/** Imports a placement file and waits for the result; false when nothing was imported. */
export async function importFile(store: string, file: string | undefined, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<boolean> {
  if (!file) throw new CliError({ code: 'BAD_INPUT', message: 'import: FILE is required' });
  return withLogin(store, env, async (s) => {
    const code = need(o, 'lender').toUpperCase();
    const lender = (await s.call('lenders.list', {})).lenders.find((l) => l.code === code);
    if (!lender) throw new CliError({ code: 'NOT_FOUND', message: `No lender with code ${code} (add it with \`agencydesk lender add\`).` });
    const { jobId } = await s.call('import.start', {
      lenderId: lender.id,
      file: { path: path.resolve(file) },
      templateName: str(o, 'template'),
      batchNo: str(o, 'batch'),
      saveTemplateAs: str(o, 'save-template'),
      dryRun: o['dry-run'] === true,
    });
    let job = await s.call('import.status', { jobId });
    let lastShown = 0;
    while (job.state === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      job = await s.call('import.status', { jobId });
      if (!out.json && process.stderr.isTTY && job.rowsRead - lastShown >= 50_000) {
        lastShown = job.rowsRead;
        process.stderr.write(`\r${job.phase} ${job.rowsRead.toLocaleString('en')} rows…`);
      }
    }
    if (lastShown) process.stderr.write('\n');
    if (job.state !== 'done' || !job.result) throw new CliError({ code: (job.error?.code ?? 'INTERNAL') as never, message: job.error?.message ?? 'The import failed.' });
    const r = job.result;
    const lines = [
      `${r.dryRun ? 'Dry run (nothing written): would import' : 'Imported'} ${r.imported}, updated ${r.updated}, rejected ${r.rejected}${r.batch ? ` — batch ${r.batch.batchNo}` : ''}.`,
      ...r.rejections.slice(0, 50).map((x) => `  row ${x.row}, ${x.column}: ${x.reason}`),
      ...(r.rejections.length > 50 ? [`  … and ${r.rejections.length - 50} more (agencydesk call batches.rejections)`] : []),
    ];
    out.print(lines.join('\n'), { imported: r.imported, updated: r.updated, rejected: r.rejected, rejections: r.rejections, batch: r.batch, dryRun: r.dryRun });
    return r.imported + r.updated > 0;
  });
}

export function assignCases(store: string, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<boolean> {
  return withLogin(store, env, (s) => assign(s, o, out));
}

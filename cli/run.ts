// `agencydesk …`: scripted access to the same core, contract, validation and permissions as the UI.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { defaultStoreDir } from '../core/paths.js';
import { ApiFailure } from '../shared/contract/failure.js';
import { CliError } from './session.js';
import * as cmd from './commands.js';
import { exportReport, verify } from './reports.js';
import { repayments } from './repayments.js';

const USAGE = `Usage: agencydesk <command> [options]

  init   [--store DIR] [--agency NAME] [--admin USERNAME] [--name DISPLAY]   create the store and its admin; prints the recovery key
  user add --username U --role admin|manager|collector|auditor [--team T] [--name DISPLAY]
  user list | user disable --username U | user passwd [--username U]
  lender add --code CODE --name NAME [--contact TEXT] | lender list
  import --lender CODE [--template NAME] [--save-template NAME] [--batch NO] [--dry-run] FILE
                                placement file (CSV/TSV/XLSX) as one batch; exit 1 if nothing was imported
  assign (--batch NO | --lender CODE) [--rule round_robin|balanced|by_bucket|by_region] [--team A,B]
         [--collectors U1,U2] [--bucket M1] [--unassigned-only] [--split-borrowers] [--dry-run]
                                distribute cases by a rule (default balanced; a borrower's cases stay together)
  repayments import --lender CODE [--dry-run] FILE
                                a lender's repayment file (回款): match the agency's payments, post the rest;
                                prints rejected rows with reasons; exit 1 if no row was matched or posted
  export --lender CODE (--batch NO | --from DATE --to DATE) --out PATH [--formats csv,xlsx]
                                a signed report package for the lender (PATH: a folder, or NAME.zip for a .zip)
  verify PACKAGE [--pubkey PEM] check a report package (folder or .zip): signature and every file; no store needed
  check  [--store DIR]          integrity, schema level, audit chain (exit 1 if anything is wrong)
  methods                       list every API method
  call METHOD [JSON]            call any API method as the logged-in user

Options: --store DIR (default: $AGENCYDESK_STORE or the desktop app's store), --json (machine-readable output)
Environment: AGENCYDESK_USER (default admin), AGENCYDESK_PASSWORD, AGENCYDESK_NEW_PASSWORD (for init, user add, passwd)`;

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        store: { type: 'string' },
        json: { type: 'boolean', default: false },
        agency: { type: 'string' },
        admin: { type: 'string' },
        name: { type: 'string' },
        username: { type: 'string' },
        role: { type: 'string' },
        team: { type: 'string' },
        code: { type: 'string' },
        contact: { type: 'string' },
        lender: { type: 'string' },
        template: { type: 'string' },
        'save-template': { type: 'string' },
        batch: { type: 'string' },
        'dry-run': { type: 'boolean' },
        rule: { type: 'string' },
        collectors: { type: 'string' },
        bucket: { type: 'string' },
        'unassigned-only': { type: 'boolean' },
        'split-borrowers': { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        formats: { type: 'string' },
        pubkey: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error(`agencydesk: ${(e as Error).message}`);
    return 2;
  }
  const { values: o, positionals: [command, ...rest] } = parsed;
  const json = o.json === true;
  const out: cmd.Out = { json, print: (text, value) => console.log(json ? JSON.stringify(value) : text) };
  if (o.help || !command) {
    console.log(USAGE);
    return command || o.help ? 0 : 2;
  }
  const store = o.store ? path.resolve(o.store) : defaultStoreDir(env);
  try {
    switch (command) {
      case 'init':
        await cmd.init(store, o, env, out);
        return 0;
      case 'user':
        await cmd.user(rest[0], store, o, env, out);
        return 0;
      case 'lender':
        await cmd.lender(rest[0], store, o, env, out);
        return 0;
      case 'import':
        return (await cmd.importFile(store, rest[0], o, env, out)) ? 0 : 1;
      case 'assign':
        return (await cmd.assignCases(store, o, env, out)) ? 0 : 1;
      case 'repayments':
        return (await repayments(rest[0], store, rest[1], o, env, out)) ? 0 : 1;
      case 'export':
        await cmd.withLogin(store, env, (s) => exportReport(s, o, out));
        return 0;
      case 'verify':
        return (await verify(rest[0], o, out)) ? 0 : 1;
      case 'check':
        return (await cmd.check(store, env, out)) ? 0 : 1;
      case 'methods':
        cmd.methods(out);
        return 0;
      case 'call':
        await cmd.call(store, rest[0], rest[1], env, out);
        return 0;
      default:
        console.error(`agencydesk: unknown command ${command} (try --help)`);
        return 2;
    }
  } catch (e) {
    const error =
      e instanceof CliError ? e.error : e instanceof ApiFailure ? e.toApiError() : { code: 'INTERNAL' as const, message: (e as Error).message };
    if (json) console.log(JSON.stringify({ ok: false, error }));
    console.error(`agencydesk: ${error.code}: ${error.message}`);
    return 1;
  }
}

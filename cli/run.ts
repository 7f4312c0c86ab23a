// `agencydesk …`: scripted access to the same core, contract, validation and permissions as the UI.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { defaultStoreDir } from '../core/paths.js';
import { ApiFailure } from '../shared/contract/failure.js';
import { CliError } from './session.js';
import * as cmd from './commands.js';
import { exportReport, verify } from './reports.js';
import { repayments } from './repayments.js';
import { importFile, templates } from './imports.js';
import { serve } from './serve.js';
import { backup, restore } from './backup.js';
import { keyForIt, rekey } from './keys.js';
import { TERM_OPTIONS } from './lender-terms.js';
import { useRemoteServer } from './session.js';

const USAGE = `Usage: agencydesk <command> [options]

  init   [--store DIR] [--agency NAME] [--admin USERNAME] [--name DISPLAY]   create the store and its admin; prints the recovery key
  user add --username U --role admin|manager|collector|auditor [--team T] [--name DISPLAY]
  user list | user disable --username U | user passwd [--username U]
  lender add --code CODE --name NAME [--contact TEXT] [--amount-mismatch principal_difference|reject_row]
             [the lender terms options] | lender list
  lender terms --lender CODE [--penalty-per-day 0.05%] [--penalty-on-interest yes|no] [--late-fee 30|1%|none]
               [--late-fee-every once|DAYS] [--apr-cap 24%|none] [--max-charges YUAN|none]
               [--order fees,penalty,interest,principal] [--no-charges] [--hotline TEXT] [--payment-account TEXT]
                                show or enter the lender's contract terms (the same options on lender add);
                                a lender whose terms nobody entered accrues no charges ("terms not set")
  lender policy --code CODE [--amount-mismatch principal_difference|reject_row] [--reject-policy skip_rows|block_file]
                                what an import does with a total ≠ its components, and with bad rows
  import --lender CODE [--map FIELD=COLUMN …] [--template NAME] [--save-template NAME] [--batch NO]
         [--placement-date D] [--term-end D] [--dry-run] FILE
                                placement file (CSV/TSV/XLSX) as one batch; exit 1 if nothing was imported.
                                --map 逾期金额=剩余本金: FIELD by key or label, COLUMN by its header (repeatable)
  templates list|save|delete --lender CODE [--name NAME] [--map FIELD=COLUMN …] | templates fields
                                a lender's saved import mappings (fields: the keys and labels --map takes)
  assign (--batch NO | --lender CODE) [--rule round_robin|balanced|by_bucket|by_region] [--team A,B]
         [--collectors U1,U2] [--bucket M1] [--unassigned-only] [--split-borrowers] [--dry-run]
                                distribute cases by a rule (default balanced; a borrower's cases stay together)
  repayments import --lender CODE [--dry-run] FILE
                                a lender's repayment file (回款): match the agency's payments, post the rest;
                                prints rejected rows with reasons; exit 1 if no row was matched or posted
  export --lender CODE (--batch NO | --from DATE --to DATE) --out PATH [--formats csv,xlsx]
                                a signed report package for the lender (PATH: a folder, or NAME.zip for a .zip)
  verify PACKAGE [--pubkey PEM] [--store DIR]
                                check a report package (folder or .zip): signatures and every file; no store
                                needed (with --store: whether the key is the agency's or a registered lender's)
  check  [--store DIR]          integrity, schema level, audit chain, audit anchor, rows ↔ audit entries (exit 1 if anything is wrong)
  backup [--store DIR] [--to FOLDER]
                                one verified, encrypted backup file (the store + its key slots + a manifest) in FOLDER
                                (default: the scheduled backup folder); admins only
  restore --from FILE --store NEWDIR
                                unpack a backup into a new, empty folder; checked with AGENCYDESK_USER/AGENCYDESK_PASSWORD
                                as valid at backup time (or AGENCYDESK_RECOVERY_KEY)
  rekey  [--store DIR] [--new-recovery-key]
                                a new master key: the store re-encrypted (kill-safe), every remaining key slot given it;
                                old slot files, .bak copies and old passwords then open nothing; admins only
  key-for-it [--store DIR]      the raw master key as SQLCipher 4's PRAGMA key line (audited; bypasses the audit log)
  serve  [--store DIR] [--listen HOST:PORT] [--cert PEM --key PEM] [--log FILE [--log-size MB] [--log-keep N]]
         [--upload-quota MB] [--check]
                                the team server: the store served over TLS to every desk (default 0.0.0.0:8443);
                                prints its address and certificate fingerprint (--json: {url, fingerprint});
                                SIGTERM/SIGINT: running calls finish, imports are cancelled, the store is closed
  methods                       list every API method
  call METHOD [JSON]            call any API method as the logged-in user (call import.start waits for the import)

Options: --store DIR (default: $AGENCYDESK_STORE or the desktop app's store), --json (machine-readable output),
         --server https://HOST:PORT --fingerprint SHA256 (run the command on a team server instead of a local store)
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
        map: { type: 'string', multiple: true },
        'placement-date': { type: 'string' },
        'term-end': { type: 'string' },
        'amount-mismatch': { type: 'string' },
        'reject-policy': { type: 'string' },
        ...TERM_OPTIONS,
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
        server: { type: 'string' },
        fingerprint: { type: 'string' },
        listen: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        log: { type: 'string' },
        'log-size': { type: 'string' },
        'log-keep': { type: 'string' },
        'upload-quota': { type: 'string' },
        check: { type: 'boolean' },
        'new-recovery-key': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error(`agencydesk: ${(e as Error).message}`);
    return 2;
  }
  const { values: { map: maps = [], ...o }, positionals: [command, ...rest] } = parsed;
  const json = o.json === true;
  const out: cmd.Out = { json, print: (text, value) => console.log(json ? JSON.stringify(value) : text) };
  if (o.help || !command) {
    console.log(USAGE);
    return command || o.help ? 0 : 2;
  }
  const store = o.store ? path.resolve(o.store) : defaultStoreDir(env);
  try {
    useRemoteServer(typeof o.server === 'string' ? { server: o.server, fingerprint: typeof o.fingerprint === 'string' ? o.fingerprint : undefined } : null);
    switch (command) {
      case 'serve':
        return await serve(store, o, env);
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
        return (await importFile(store, rest[0], o, maps, env, out)) ? 0 : 1;
      case 'templates':
        await templates(rest[0], store, o, maps, env, out);
        return 0;
      case 'assign':
        return (await cmd.assignCases(store, o, env, out)) ? 0 : 1;
      case 'repayments':
        return (await repayments(rest[0], store, rest[1], o, env, out)) ? 0 : 1;
      case 'export':
        await cmd.withLogin(store, env, (s) => exportReport(s, o, out));
        return 0;
      case 'verify':
        // With --store (only then) the signer is checked against the agency's and the lenders' keys.
        return (await verify(rest[0], o, out, o.store ? { dir: store, env } : null)) ? 0 : 1;
      case 'backup':
        await backup(store, o, env, out);
        return 0;
      case 'restore':
        await restore(store, o, env, out);
        return 0;
      case 'rekey':
        await rekey(store, o, env, out);
        return 0;
      case 'key-for-it':
        await keyForIt(store, env, out);
        return 0;
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

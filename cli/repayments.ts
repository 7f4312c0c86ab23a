// `agencydesk repayments import --lender CODE [--dry-run] FILE`: a lender's repayment file (回款) through
// repayments.import — the same validation, permissions (payments.post) and single transaction as the UI.
import path from 'node:path';
import { formatFen } from '../shared/domain/placement/money.js';
import { CliError, CliSession } from './session.js';

type Opts = Record<string, string | boolean | undefined>;
interface Out {
  json: boolean;
  print(text: string, value: unknown): void;
}

/** Returns whether any row was matched or posted (exit 1 when none was). */
export async function repayments(sub: string | undefined, store: string, file: string | undefined, o: Opts, env: NodeJS.ProcessEnv, out: Out): Promise<boolean> {
  if (sub !== 'import') throw new CliError({ code: 'BAD_INPUT', message: 'repayments: expected import' });
  if (!file) throw new CliError({ code: 'BAD_INPUT', message: 'repayments import: FILE is required' });
  const code = typeof o.lender === 'string' ? o.lender.toUpperCase() : '';
  if (!code) throw new CliError({ code: 'BAD_INPUT', message: '--lender is required' });
  const s = CliSession.open(store);
  try {
    await s.login(env);
    const lender = (await s.call('lenders.list', {})).lenders.find((l) => l.code === code);
    if (!lender) throw new CliError({ code: 'NOT_FOUND', message: `No lender with code ${code}.` });
    const r = await s.call('repayments.import', { lenderId: lender.id, file: await s.fileRef(file, 'repayment'), dryRun: o['dry-run'] === true });
    const lines = [
      `${r.dryRun ? 'Dry run (nothing written): would match' : 'Matched'} ${r.matched}, ${r.dryRun ? 'post' : 'posted'} ${r.posted}, rejected ${r.rejected} of ${r.totalRows} rows (¥${formatFen(r.amountFen)})${r.settled ? `; ${r.settled} cases settled` : ''}${r.file ? ` — file #${r.file.id}` : ''}.`,
      ...r.rejections.slice(0, 50).map((x) => `  row ${x.row}, ${x.column}: ${x.reason}`),
      ...(r.rejections.length > 50 ? [`  … and ${r.rejections.length - 50} more (agencydesk call repayments.file '{"fileId":${r.file?.id ?? 0}}')`] : []),
    ];
    out.print(lines.join('\n'), { matched: r.matched, posted: r.posted, rejected: r.rejected, totalRows: r.totalRows, amountFen: r.amountFen, settled: r.settled, rejections: r.rejections, file: r.file, dryRun: r.dryRun });
    return r.matched + r.posted > 0;
  } finally {
    await s.close();
  }
}

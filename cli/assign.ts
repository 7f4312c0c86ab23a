// `agencydesk assign`: distribute a batch (or a lender's cases) by a rule, through assign.preview/apply.
import { ASSIGN_RULES, type AssignRule } from '../shared/domain/assignment/plan.js';
import { formatFen } from '../shared/domain/placement/money.js';
import { CliError, type CliSession } from './session.js';

type Opts = Record<string, string | boolean | undefined>;
const str = (o: Opts, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
const list = (v: string | undefined) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : []);

/** Returns whether anything could be assigned (exit code 1 when the selection had cases and none could). */
export async function assign(s: CliSession, o: Opts, out: { json: boolean; print(text: string, value: unknown): void }): Promise<boolean> {
  const rule = (str(o, 'rule') ?? 'balanced') as AssignRule;
  if (!ASSIGN_RULES.includes(rule)) throw new CliError({ code: 'BAD_INPUT', message: `--rule must be one of ${ASSIGN_RULES.join(', ')}` });
  const lenderCode = str(o, 'lender')?.toUpperCase();
  const lenders = (await s.call('lenders.list', {})).lenders;
  const lender = lenderCode ? lenders.find((l) => l.code === lenderCode) : undefined;
  if (lenderCode && !lender) throw new CliError({ code: 'NOT_FOUND', message: `No lender with code ${lenderCode}.` });

  const batchNo = str(o, 'batch');
  let batchId: number | undefined;
  if (batchNo) {
    const found = (await s.call('batches.list', lender ? { lenderId: lender.id } : {})).batches.filter((b) => b.batchNo === batchNo);
    if (found.length === 0) throw new CliError({ code: 'NOT_FOUND', message: `No batch ${batchNo}${lender ? ` of ${lender.code}` : ''}.` });
    if (found.length > 1) throw new CliError({ code: 'BAD_INPUT', message: `Batch ${batchNo} exists for several lenders: add --lender CODE.` });
    batchId = found[0]!.id;
  }
  if (batchId === undefined && !lender) throw new CliError({ code: 'BAD_INPUT', message: 'assign: --batch NO or --lender CODE is required' });

  const teams = (await s.call('teams.list', {})).teams;
  const teamIds = list(str(o, 'team')).map((name) => {
    const t = teams.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!t) throw new CliError({ code: 'NOT_FOUND', message: `No team named ${name}.` });
    return t.id;
  });
  const staff = (await s.call('staff.list', {})).staff;
  const collectorIds = list(str(o, 'collectors')).map((u) => {
    const c = staff.find((x) => x.username === u.toLowerCase());
    if (!c) throw new CliError({ code: 'NOT_FOUND', message: `No collector ${u}.` });
    return c.userId;
  });

  const input = {
    selection: { batchId, lenderId: batchId === undefined ? lender?.id : undefined, bucket: str(o, 'bucket'), unassignedOnly: o['unassigned-only'] === true },
    rule,
    pool: { teamIds, collectorIds },
    keepBorrower: o['split-borrowers'] !== true,
  };
  const dryRun = o['dry-run'] === true;
  const plan = dryRun ? await s.call('assign.preview', input) : await s.call('assign.apply', input);
  const unassignable = plan.unassignable.reduce((n, u) => n + u.cases, 0);
  const perCollector = plan.perCollector.map((p) => ({ collector: p.username, cases: p.cases, amountFen: p.amountFen, openCasesAfter: p.openCasesAfter }));
  const lines = [
    `${dryRun ? 'Dry run (nothing changed): would assign' : 'Assigned'} ${plan.assigned} of ${plan.selected} cases by ${rule}; ${plan.unchanged} stay with their collector; ${unassignable} could not be assigned.`,
    ...plan.perCollector.map((p) => `  ${p.username.padEnd(16)} ${String(p.cases).padStart(8)} cases  ¥${formatFen(p.amountFen).padStart(16)}`),
    ...plan.unassignable.map((u) => `  not assigned: ${u.cases} (${u.reason}${u.value ? ` ${u.value}` : ''})`),
    `  spread (max−min)/mean of open amounts: ${(plan.spread * 100).toFixed(2)} %`,
  ];
  out.print(lines.join('\n'), { assigned: plan.assigned, selected: plan.selected, unchanged: plan.unchanged, unassignable: plan.unassignable, perCollector, spread: plan.spread, assignmentId: plan.assignmentId, dryRun });
  return plan.selected === 0 || plan.assigned + plan.unchanged > 0;
}

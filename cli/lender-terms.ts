// A lender's contract terms from the command line (`lender add … --penalty-per-day 0.05%`, `lender terms
// --lender CODE …`): each option sets one term; a term not given keeps `base` (a new lender: no charges).
import type { TermsInput } from '../shared/contract/money.js';
import { COMPONENTS, type Component } from '../shared/domain/money/allocation.js';
import { percentToPpm, ppmToPercent } from '../shared/domain/money/percent.js';
import { formatFen, parseMoneyToFen } from '../shared/domain/placement/money.js';
import { CliError } from './session.js';

type Opts = Record<string, string | boolean | undefined>;

/** The options `lender add` and `lender terms` read (parseArgs declarations for cli/run.ts). */
export const TERM_OPTIONS = {
  'penalty-per-day': { type: 'string' },
  'penalty-on-interest': { type: 'string' },
  'late-fee': { type: 'string' },
  'late-fee-every': { type: 'string' },
  'apr-cap': { type: 'string' },
  'max-charges': { type: 'string' },
  order: { type: 'string' },
  'no-charges': { type: 'boolean' },
  hotline: { type: 'string' },
  'payment-account': { type: 'string' },
} as const;

const bad = (message: string) => new CliError({ code: 'BAD_INPUT', message });
const str = (o: Opts, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
const none = (v: string) => /^(none|no|0|无)$/i.test(v.trim());

function percent(flag: string, v: string): number {
  if (!/%\s*$/.test(v)) throw bad(`--${flag} takes a percentage with its % sign, e.g. 0.05% (got ${v})`);
  const ppm = percentToPpm(v);
  if (ppm === null) throw bad(`--${flag}: ${v} is not a percentage (up to 4 decimals)`);
  return ppm;
}
function yuan(flag: string, v: string): number {
  const r = parseMoneyToFen(v);
  if (!r.ok) throw bad(`--${flag}: ${v} is not an amount in yuan`);
  return r.value;
}

/** Whether any term option was given. */
export const hasTermOptions = (o: Opts): boolean =>
  o['no-charges'] === true || ['penalty-per-day', 'penalty-on-interest', 'late-fee', 'late-fee-every', 'apr-cap', 'max-charges', 'order'].some((k) => str(o, k) !== undefined);

/** The terms the options give over `base`. */
export function termsFromOptions(o: Opts, base: TermsInput): TermsInput {
  const t: TermsInput = o['no-charges'] === true ? { ...base, penaltyPpmPerDay: 0, lateFee: null, aprCapPpm: null, maxChargesFen: null } : { ...base, order: [...base.order] };
  const v = (k: string) => str(o, k);
  if (v('penalty-per-day') !== undefined) t.penaltyPpmPerDay = percent('penalty-per-day', v('penalty-per-day')!);
  if (v('penalty-on-interest') !== undefined) {
    if (!/^(yes|no|true|false)$/i.test(v('penalty-on-interest')!)) throw bad('--penalty-on-interest takes yes or no');
    t.penaltyOnInterest = /^(yes|true)$/i.test(v('penalty-on-interest')!);
  }
  const fee = v('late-fee');
  if (fee !== undefined) t.lateFee = none(fee) ? null : /%\s*$/.test(fee) ? { kind: 'percent', ppm: percent('late-fee', fee) } : { kind: 'fixed', fen: yuan('late-fee', fee) };
  const every = v('late-fee-every');
  if (every !== undefined) {
    if (every === 'once') t.lateFeeEveryDays = 'once';
    else if (/^\d{1,3}$/.test(every) && Number(every) >= 1 && Number(every) <= 366) t.lateFeeEveryDays = Number(every);
    else throw bad('--late-fee-every takes once or a number of days (1–366)');
  }
  const apr = v('apr-cap');
  if (apr !== undefined) t.aprCapPpm = none(apr) ? null : percent('apr-cap', apr);
  const max = v('max-charges');
  if (max !== undefined) t.maxChargesFen = none(max) ? null : yuan('max-charges', max);
  const order = v('order');
  if (order !== undefined) {
    const list = order.split(/[,\s>→]+/).filter(Boolean) as Component[];
    if (list.length !== COMPONENTS.length || new Set(list).size !== COMPONENTS.length || !list.every((c) => COMPONENTS.includes(c))) {
      throw bad(`--order names each of ${COMPONENTS.join(', ')} once, in the order payments pay them`);
    }
    t.order = list;
  }
  return t;
}

/** One line saying what a lender's terms are. */
export function describeTerms(code: string, terms: TermsInput, termsSet: boolean): string {
  const fee = terms.lateFee === null ? 'none' : terms.lateFee.kind === 'fixed' ? `¥${formatFen(terms.lateFee.fen)}` : `${ppmToPercent(terms.lateFee.ppm)} %`;
  const every = terms.lateFee === null ? '' : terms.lateFeeEveryDays === 'once' ? ' once' : ` every ${terms.lateFeeEveryDays} days`;
  const line =
    `penalty ${ppmToPercent(terms.penaltyPpmPerDay)} %/day on principal${terms.penaltyOnInterest ? ' and interest' : ''}, late fee ${fee}${every}, ` +
    `APR cap ${terms.aprCapPpm === null ? 'none' : `${ppmToPercent(terms.aprCapPpm)} %`}, total cap ${terms.maxChargesFen === null ? 'none' : `¥${formatFen(terms.maxChargesFen)}`}, ` +
    `order ${terms.order.join(' → ')}`;
  return termsSet ? `${code}: ${line}` : `${code}: terms not set (未设置合同条款); applied: ${line}`;
}

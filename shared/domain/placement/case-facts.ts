// Everything the placement file said about a case, grouped as the case view shows it, masked by the
// privacy rules (ID numbers, phones, addresses; birth date as the year only, since the masked ID already
// hides the birth date and showing it beside would undo that). The lender's own extra columns are shown
// as they came, except values that look like an ID number, a phone or a bank card, which are masked like
// those. The same formatting serves the history of what re-placements changed, so no raw value reaches a
// screen through the history either.
import { maskAddress, maskIdNumber, maskMobile, maskPhone } from './masking.js';
import { parsePhone } from './phone.js';
import { placedFenOf } from '../money/placed.js';
import { contactsFromJson } from './contacts-json.js';

export const FACT_GROUPS = ['borrower', 'loan', 'debt', 'addresses', 'extra'] as const;
export type FactGroup = (typeof FACT_GROUPS)[number];
/** How the UI shows a value: money is integer fen; 'code' values (gender) are translated. */
export type FactKind = 'text' | 'money' | 'date' | 'int' | 'code';

export interface Fact {
  key: string;
  kind: FactKind;
  value: string | number | null;
}

type Masker = (v: unknown) => string | number | null;
const text: Masker = (v) => (v === null || v === undefined || v === '' ? null : String(v));
const num: Masker = (v) => (typeof v === 'number' ? v : null);
const birthYear: Masker = (v) => (typeof v === 'string' && /^\d{4}/.test(v) ? Number(v.slice(0, 4)) : null);

/** Column of the cases table → where it shows, under which key, how it is masked and shown. */
export const FACT_FIELDS: Record<string, { group: FactGroup; key: string; kind: FactKind; mask: Masker }> = {
  borrower_name: { group: 'borrower', key: 'name', kind: 'text', mask: text },
  gender: { group: 'borrower', key: 'gender', kind: 'code', mask: text },
  birth_date: { group: 'borrower', key: 'birthYear', kind: 'int', mask: birthYear },
  id_number: { group: 'borrower', key: 'idNumber', kind: 'text', mask: (v) => text(maskIdNumber(v as string)) },
  mobile: { group: 'borrower', key: 'mobile', kind: 'text', mask: (v) => text(maskMobile(v as string)) },
  province: { group: 'borrower', key: 'province', kind: 'text', mask: text },
  employer: { group: 'borrower', key: 'employer', kind: 'text', mask: text },
  product_name: { group: 'loan', key: 'productName', kind: 'text', mask: text },
  loan_amount_fen: { group: 'loan', key: 'loanAmount', kind: 'money', mask: num },
  loan_date: { group: 'loan', key: 'loanDate', kind: 'date', mask: text },
  due_date: { group: 'loan', key: 'dueDate', kind: 'date', mask: text },
  interest_rate: { group: 'loan', key: 'interestRate', kind: 'text', mask: text },
  remaining_principal_fen: { group: 'loan', key: 'remainingPrincipal', kind: 'money', mask: num },
  overdue_periods: { group: 'loan', key: 'overduePeriods', kind: 'int', mask: num },
  paid_periods: { group: 'loan', key: 'paidPeriods', kind: 'int', mask: num },
  last_payment_date: { group: 'loan', key: 'lastPaymentDate', kind: 'date', mask: text },
  last_payment_fen: { group: 'loan', key: 'lastPayment', kind: 'money', mask: num },
  overdue_principal_fen: { group: 'debt', key: 'principal', kind: 'money', mask: num },
  overdue_interest_fen: { group: 'debt', key: 'interest', kind: 'money', mask: num },
  overdue_penalty_fen: { group: 'debt', key: 'penalty', kind: 'money', mask: num },
  overdue_late_fee_fen: { group: 'debt', key: 'lateFee', kind: 'money', mask: num },
  overdue_amount_fen: { group: 'debt', key: 'total', kind: 'money', mask: num },
  placement_amount_fen: { group: 'debt', key: 'placementAmount', kind: 'money', mask: num },
  days_overdue: { group: 'debt', key: 'daysAtPlacement', kind: 'int', mask: num },
  bucket: { group: 'debt', key: 'bucketAtPlacement', kind: 'text', mask: text },
  home_address: { group: 'addresses', key: 'homeAddress', kind: 'text', mask: (v) => text(maskAddress(v as string)) },
  work_address: { group: 'addresses', key: 'workAddress', kind: 'text', mask: (v) => text(maskAddress(v as string)) },
  registered_address: { group: 'addresses', key: 'registeredAddress', kind: 'text', mask: (v) => text(maskAddress(v as string)) },
  notes: { group: 'extra', key: 'notes', kind: 'text', mask: text },
};

const BANK_CARD = /^\d{12,19}$/;
const ID_SHAPE = /^(?:\d{17}[\dXx]|\d{15})$/;
const ADDRESS_HEADER = /地址|住址|address/i;

/** A value of a column no field claimed: masked when it looks like personal data, else as written. */
export function maskExtraValue(header: string, value: unknown): string | null {
  const s = text(value);
  if (s === null) return null;
  const t = String(s).trim();
  if (ADDRESS_HEADER.test(header)) return maskAddress(t);
  // The shape of an ID number is enough, checksum or not: a mistyped one is still someone's.
  if (ID_SHAPE.test(t)) return maskIdNumber(t);
  const compact = t.replace(/[\s-]/g, '');
  if (BANK_CARD.test(compact) && !parsePhone(t).ok) return `${compact.slice(0, 4)} **** **** ${compact.slice(-4)}`;
  if (/\d{7,}/.test(compact) && parsePhone(t).ok) return maskPhone(t);
  return String(s);
}

function extraEntries(json: unknown): [string, unknown][] {
  if (typeof json !== 'string' || json === '') return [];
  try {
    const obj = JSON.parse(json) as unknown;
    return obj && typeof obj === 'object' && !Array.isArray(obj) ? Object.entries(obj as Record<string, unknown>) : [];
  } catch {
    return [];
  }
}

/** The case's facts by group, in the order of FACT_FIELDS, then the lender's extra columns in file order. */
export function caseFacts(record: object): { group: FactGroup; fields: Fact[] }[] {
  const row = record as Record<string, unknown>;
  const groups = new Map<FactGroup, Fact[]>(FACT_GROUPS.map((g) => [g, []]));
  // 委案金额 is the placed amount by the one rule (the header shows the same figure), not the raw column.
  const placed = typeof row.overdue_amount_fen === 'number' ? placedFenOf(row as { placement_amount_fen: number | null; overdue_amount_fen: number }) : row.placement_amount_fen;
  for (const [col, f] of Object.entries(FACT_FIELDS)) groups.get(f.group)!.push({ key: f.key, kind: f.kind, value: f.mask(col === 'placement_amount_fen' ? placed : row[col]) });
  for (const [header, value] of extraEntries(row.extra)) groups.get('extra')!.push({ key: header, kind: 'text', value: maskExtraValue(header, value) });
  return FACT_GROUPS.map((group) => ({ group, fields: groups.get(group)! }));
}

export interface FactChange {
  /** The fact's key (FACT_FIELDS), 'extra:<header>' for a lender column, or 'contact<n>'. */
  key: string;
  kind: FactKind;
  from: string | number | null;
  to: string | number | null;
}

const contactLine = (c: { name?: string | null; relation?: string | null; phone?: string | null } | undefined): string | null =>
  c ? [c.name, c.relation, maskPhone(c.phone ?? '')].filter((x) => x).join(' · ') || null : null;

/**
 * What one re-placement changed ({column: [before, after]} as the import records it), masked as the facts
 * are: extra columns and contacts are compared one by one, so the line names what actually changed.
 */
export function factChanges(changes: Record<string, unknown>): FactChange[] {
  const out: FactChange[] = [];
  for (const [col, pair] of Object.entries(changes)) {
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    const [before, after] = pair as [unknown, unknown];
    const f = FACT_FIELDS[col];
    if (f) {
      out.push({ key: f.key, kind: f.kind, from: f.mask(before), to: f.mask(after) });
    } else if (col === 'extra') {
      const a = new Map(extraEntries(before));
      const b = new Map(extraEntries(after));
      for (const h of new Set([...a.keys(), ...b.keys()])) {
        const [x, y] = [maskExtraValue(h, a.get(h)), maskExtraValue(h, b.get(h))];
        if (String(a.get(h) ?? '') !== String(b.get(h) ?? '')) out.push({ key: `extra:${h}`, kind: 'text', from: x, to: y });
      }
    } else if (col === 'contacts') {
      const a = new Map(contactsFromJson(String(before ?? '[]')).map((c) => [c.slot, c]));
      const b = new Map(contactsFromJson(String(after ?? '[]')).map((c) => [c.slot, c]));
      for (const slot of [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y)) {
        const [x, y] = [a.get(slot), b.get(slot)];
        if (JSON.stringify([x?.name, x?.relation, x?.phone]) !== JSON.stringify([y?.name, y?.relation, y?.phone])) {
          out.push({ key: `contact${slot}`, kind: 'text', from: contactLine(x), to: contactLine(y) });
        }
      }
    }
    // Other columns (none today) are left out rather than shown raw.
  }
  return out;
}

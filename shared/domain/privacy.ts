// Personal data rules (PIPL; the agency is an entrusted processor): who may see one masked value in full
// and why, and when a finished case's personal data is due for erasure. Pure: core gathers the facts and
// enforces; the UI asks the same functions to offer (or not) the eye button and the erasure list.
import type { Role } from './roles.js';

/** What the name columns hold once a case's personal data is erased (every screen shows it as is). */
export const ERASED_NAME = '已删除个人信息';

/** Masked values one may ask to see: the borrower's, a contact's phone, a lender column shaped like personal data. */
export type UnmaskField = 'idNumber' | 'mobile' | 'homeAddress' | 'workAddress' | 'registeredAddress' | `contact${1 | 2 | 3 | 4 | 5 | 6}` | `extra:${string}`;

export const UNMASK_FIELD_PATTERN = /^(?:idNumber|mobile|homeAddress|workAddress|registeredAddress|contact[1-6]|extra:.{1,200})$/;

/** Why a value is shown in full (the list the reason is chosen from; 'other' needs the free text). */
export const UNMASK_REASONS = ['dial', 'verify_identity', 'field_visit', 'legal_filing', 'lender_request', 'complaint', 'other'] as const;
export type UnmaskReason = (typeof UNMASK_REASONS)[number];

/** How long a full value stays on the screen before it is masked again. */
export const UNMASK_SHOW_SECONDS = 30;

export const isPhoneField = (field: string): boolean => field === 'mobile' || /^contact[1-6]$/.test(field);

export interface UnmaskFacts {
  role: Role;
  /** The caller holds the case (collectors). */
  holds: boolean;
  /** The case's status: only an open case (paused included) may be unmasked. */
  status: string;
  erased: boolean;
}

/**
 * Who may see a full value: admins and managers any field of an open case; collectors only the phone
 * numbers of their own open cases (to dial); auditors never. A finished case (settled, closed, written
 * off, returned) is unmasked by nobody: the purpose of the processing has ended.
 */
export function unmaskRefusal(field: string, f: UnmaskFacts): string | null {
  if (f.role === 'auditor') return 'Auditors never see full personal data.';
  if (f.erased) return "This case's personal data has been erased.";
  if (f.status !== 'open') return `The case is ${f.status}: its personal data is no longer shown in full.`;
  if (f.role === 'collector') {
    if (!f.holds) return 'Collectors see full numbers only on their own cases.';
    if (!isPhoneField(field)) return 'Collectors see only phone numbers in full, to dial them.';
  }
  return null;
}

/** Days after the end of a placement before the case's personal data is erased (per lender). */
export interface Retention {
  /** Returned to the lender (退案, by recall or at the end of the term). */
  afterReturnedDays: number;
  /** Settled (结清), closed or written off. */
  afterSettledDays: number;
}

/**
 * Defaults. Returned cases: 30 days — the lender has taken the cases back; the month covers the return
 * report and repayments the lender reports late. Settled (and closed, written off): 180 days — a settled
 * borrower's complaint, a reversed payment or the lender's commission reconciliation comes within months,
 * and the contact log is the agency's evidence for them.
 */
export const DEFAULT_RETENTION: Retention = { afterReturnedDays: 30, afterSettledDays: 180 };
export const MAX_RETENTION_DAYS = 3650;

export function retentionOf(json: string | null | undefined): Retention {
  try {
    const v = JSON.parse(json ?? '{}') as Partial<Retention>;
    const pick = (x: unknown, d: number) => (Number.isInteger(x) && (x as number) >= 0 && (x as number) <= MAX_RETENTION_DAYS ? (x as number) : d);
    return { afterReturnedDays: pick(v.afterReturnedDays, DEFAULT_RETENTION.afterReturnedDays), afterSettledDays: pick(v.afterSettledDays, DEFAULT_RETENTION.afterSettledDays) };
  } catch {
    return { ...DEFAULT_RETENTION };
  }
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The day a finished case's personal data falls due for erasure (null: still open). */
export function erasureDueOn(status: string, endedOn: string | null, r: Retention): string | null {
  if (status === 'open' || endedOn === null) return null;
  return addDays(endedOn, status === 'returned' ? r.afterReturnedDays : r.afterSettledDays);
}

// Case-history details keep their structure (stages, codes, ids, amounts) and lose every free text.
export const STRUCTURAL: ReadonlySet<string> = new Set(['from', 'to', 'pauseReason', 'channel', 'flag', 'action', 'batchNo', 'auto', 'kind', 'outcome', 'status', 'on', 'rule', 'field']);

/** A case-history detail with its free text (reasons, notes, raw re-placement values) removed. */
export function scrubDetail(kind: string, detail: string): string {
  let d: unknown;
  try {
    d = JSON.parse(detail);
  } catch {
    return '{}';
  }
  if (!d || typeof d !== 'object' || Array.isArray(d)) return '{}';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d as Record<string, unknown>)) {
    if (kind === 'replaced' && k === 'changes') continue;
    if (v === null || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (typeof v === 'string' && STRUCTURAL.has(k) && v.length <= 40) out[k] = v;
  }
  out.erased = true;
  return JSON.stringify(out);
}

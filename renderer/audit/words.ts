// The audit log in words: an entry's action code as a name ("登记回款") and a sentence ("张三 登记回款
// ¥1,234.00（案件 ZA…）"), and its details as labelled fields (amounts in ¥, times local, yes/no). The words
// live in renderer/i18n/tables-*.ts; a code without words shows as itself, and a unit test lists every code
// the backend writes so that does not happen unnoticed.
import type { TFunction } from 'i18next';
import type { AuditEntry } from '../../shared/contract/models.js';
import { tablesEn } from '../i18n/tables-en.js';
import { nobodyActor } from '../../shared/domain/audit-actor.js';
import { yuan } from '../money.js';
import { formatDateTime } from '../format.js';

const ACTIONS = tablesEn.auditWords.actions as Record<string, Record<string, unknown>>;

/** Every action code that has words ("auth.login", …). */
export const WORDED_ACTIONS: string[] = Object.entries(ACTIONS).flatMap(([ns, acts]) => Object.keys(acts).map((a) => `${ns}.${a}`));

export const hasWords = (action: string): boolean => {
  const [ns, a, ...rest] = action.split('.');
  return rest.length === 0 && !!ns && !!a && Object.prototype.hasOwnProperty.call(ACTIONS, ns) && Object.prototype.hasOwnProperty.call(ACTIONS[ns]!, a);
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Codes in a detail shown in the screens' own words (stage "new" → 新案), by field and action namespace. */
function codeTable(action: string, key: string): string | null {
  const ns = action.split('.')[0];
  if (key === 'from' || key === 'to' || key === 'stageFrom') return action === 'cases.move' || key === 'stageFrom' ? 'cases.stages' : null;
  if (key === 'channel') return ns === 'payments' ? 'money.payments.channels' : ns === 'complaints' ? 'complaints.channels' : ns === 'contacts' ? 'casework.channels' : null;
  if (key === 'direction') return 'casework.directions';
  if (key === 'party') return 'auditWords.parties';
  if (key === 'reason' && action === 'auth.refused') return 'auditWords.loginRefusals';
  if (key === 'outcome') return 'casework.outcomes';
  if (key === 'role') return 'roles';
  if (key === 'flag') return 'flags.names';
  return null;
}

// Internal markers repeated from the action code itself (complaints, legal): in the raw JSON only.
const HIDDEN_FIELDS = new Set(['action']);

/** One detail value as people read it. */
export function detailValue(t: TFunction, key: string, v: unknown, lang: string): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? t('auditWords.yes') : t('auditWords.no');
  if (typeof v === 'number') return /Fen$/.test(key) && Number.isSafeInteger(v) ? yuan(v) : v.toLocaleString('en-US');
  if (typeof v === 'string') return ISO_TIME.test(v) ? formatDateTime(v, lang) : v;
  if (Array.isArray(v)) return v.map((x) => detailValue(t, key, x, lang)).join('、');
  // Nested objects (before/after): "a: 1, b: 2" with the same labels.
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${fieldLabel(t, k)}: ${detailValue(t, k, x, lang)}`)
    .join('，');
}

export const fieldLabel = (t: TFunction, key: string): string => t(`auditWords.fields.${key}`, { defaultValue: key });

/**
 * What the entry is about: the case number (the backend reads it for every entry about a case; sentences say
 * "案件 …" themselves), else "用户 zhangsan", "委托方 PAYD"… An internal id only when nothing better is known.
 */
function target(t: TFunction, e: AuditEntry): string {
  const d = e.detail;
  if (e.entity === 'case') return e.caseRef?.caseNo ?? (typeof d.caseNo === 'string' ? d.caseNo : e.entityId ? `#${e.entityId}` : '');
  if (e.caseRef) return e.caseRef.caseNo;
  if (typeof d.caseId === 'number') return `#${d.caseId}`; // entries about a plan: sentences say "案件 …"
  if (e.entityId === null) return '';
  const named =
    e.entity === 'user' && typeof d.username === 'string' ? d.username : e.entity === 'lender' ? (e.lenderRef?.code ?? (typeof d.code === 'string' ? d.code : null)) : null;
  const id = named ?? (/^\d+$/.test(e.entityId) ? `#${e.entityId}` : e.entityId);
  return ['user', 'lender', 'batch', 'team', 'plan'].includes(e.entity) ? t(`auditWords.entity.${e.entity}`, { id }) : id;
}

/**
 * Who made the entry, as people read it. An entry no logged-in user made (actorId null) is read by its action
 * (shared/domain/audit-actor.ts), whatever its actor says: stores written before that rule put the username tried,
 * the entity id or "anonymous" there, and must not read as the person the text names.
 */
export function actorOf(t: TFunction, e: AuditEntry, who: (username: string) => string): string {
  return e.actorId !== null ? who(e.actor) : t(`audit.nobody.${nobodyActor(e.action)}`);
}

export interface AuditWords {
  name: string;
  text: string;
  fields: { key: string; label: string; value: string }[];
}

/** An entry in words; `who` maps a username to the person's name where the reader may see it. */
export function describeAudit(t: TFunction, e: AuditEntry, lang: string, who: (username: string) => string = (u) => u): AuditWords {
  const fields = Object.entries(e.detail)
    .filter(([key]) => !HIDDEN_FIELDS.has(key))
    .map(([key, v]) => {
      const table = typeof v === 'string' ? codeTable(e.action, key) : null;
      return { key, label: fieldLabel(t, key), value: table ? t(`${table}.${v as string}`, { defaultValue: v as string }) : detailValue(t, key, v, lang) };
    });
  // A case number is unique per lender only: its lender beside it, unless the detail names one already.
  if (e.caseRef && !('lender' in e.detail)) fields.unshift({ key: 'lender', label: fieldLabel(t, 'lender'), value: e.caseRef.lenderCode });
  // The reasons, notes and file names typed into it went with the case's erasure (the chain still verifies).
  if (e.textErasedBy !== undefined) fields.push({ key: 'textErased', label: t('auditWords.textErased.label'), value: t('auditWords.textErased.value', { run: e.textErasedBy }) });
  if (!hasWords(e.action)) return { name: e.action, text: e.action, fields };
  const params: Record<string, string> = Object.fromEntries(fields.filter((f) => f.key !== 'interpolation').map((f) => [f.key, f.value]));
  params.who = actorOf(t, e, who);
  params.target = target(t, e);
  params.amount = typeof e.detail.amountFen === 'number' ? yuan(e.detail.amountFen) : '';
  const base = `auditWords.actions.${e.action}`;
  return { name: t(`${base}.name`), text: t(`${base}.text`, { ...params, interpolation: { escapeValue: false } }).replace(/\s+/g, ' ').trim(), fields };
}

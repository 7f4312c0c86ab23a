// Turns an API or client error into one plain sentence in the UI language.
import type { TFunction } from 'i18next';
import { ApiCallError } from './api/client.js';

/**
 * A backend message with a key (shared/contract/messages.ts) in the UI's language, its parameters too
 * where they are codes (a stage); null for a key this UI has no text for (the caller shows the English).
 */
export function keyedMessage(t: TFunction, e: { key?: string | undefined; params?: Record<string, string | number> | undefined }): string | null {
  if (!e.key || !/^\w+$/.test(e.key)) return null;
  const id = `apiMessages.${e.key}`;
  const params: Record<string, string | number> = { ...e.params };
  if (typeof params.stage === 'string') params.stage = t(`cases.stages.${params.stage}`, { defaultValue: params.stage });
  const text = t(id, { ...params, defaultValue: '' });
  return text === '' || text === id ? null : text;
}

export type ErrorContext = 'login' | 'changePassword' | 'default';

// The backend's messages are English; the ones users meet often get a translation by pattern.
const KNOWN: Array<[RegExp, string]> = [
  [/last active administrator/i, 'errors.lastAdmin'],
  [/username .* is taken/i, 'errors.usernameTaken'],
  [/team named .* exists/i, 'errors.teamExists'],
  [/disable your own account/i, 'errors.disableSelf'],
  [/no user named/i, 'errors.noSuchUser'],
];

// Codes whose server message carries the useful detail.
const WITH_DETAIL = new Set(['BAD_INPUT', 'CONFLICT', 'NOT_FOUND', 'INTERNAL', 'STORE_CORRUPT', 'NETWORK']);

/** `seconds` overrides the error's retryAfterSeconds (for a live countdown). */
export function describeError(t: TFunction, e: unknown, context: ErrorContext = 'default', seconds?: number): string {
  if (!(e instanceof ApiCallError)) return e instanceof Error ? e.message : String(e);
  seconds ??= e.retryAfterSeconds ?? 0;
  switch (e.code) {
    case 'WRONG_PASSWORD':
      if (context === 'changePassword') return t('errors.WRONG_CURRENT_PASSWORD');
      return seconds > 0 ? t('errors.WRONG_PASSWORD_wait', { seconds }) : t('errors.WRONG_PASSWORD');
    case 'LOCKED_OUT':
      return t('errors.LOCKED_OUT', { seconds });
    case 'FORBIDDEN':
      // A login refused with a reason of its own (a team server not unlocked yet) says it; else a disabled account.
      if (context === 'login') return keyedMessage(t, e) ?? t('errors.ACCOUNT_DISABLED');
      return t('errors.FORBIDDEN');
    case 'COMPLIANCE': {
      // The rules by name; the work view shows each one's plain reason beside this.
      const rules = (e.violations ?? []).map((v) => t(`casework.rules.${v.rule}.name`, { defaultValue: v.rule }));
      return t('errors.COMPLIANCE', { rules: rules.join(t('errors.listSeparator')) || e.message });
    }
    default:
      break;
  }
  // A keyed message is the whole sentence, in the UI's language: no "some input is invalid" before it.
  const keyed = keyedMessage(t, e);
  if (keyed !== null) return keyed;
  for (const [re, key] of KNOWN) if (re.test(e.message)) return t(key);
  const base = t(`errors.${e.code}`);
  if (!WITH_DETAIL.has(e.code)) return base;
  const issues = e.issues?.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
  return `${base} (${issues || e.message})`;
}

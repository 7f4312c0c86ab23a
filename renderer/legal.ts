// Legal referral helpers for the screens: labels of statuses and events, and "what next" (an event kind
// written by the backend, e.g. a scheduled hearing, or the manager's own words).
import type { TFunction } from 'i18next';
import { LEGAL_EVENT_KINDS } from '../shared/domain/money/legal.js';

export { LEGAL_STATUSES, LEGAL_EVENT_KINDS, FUTURE_DATED } from '../shared/domain/money/legal.js';
export const legalStatusName = (t: TFunction, s: string): string => t(`legal.statuses.${s}`, { defaultValue: s });
export const legalEventName = (t: TFunction, k: string): string => t(`legal.events.${k}`, { defaultValue: k });
export const nextWhatText = (t: TFunction, what: string | null): string =>
  what === null ? '' : (LEGAL_EVENT_KINDS as readonly string[]).includes(what) ? legalEventName(t, what) : what;

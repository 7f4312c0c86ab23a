// Casework helpers shared by the case work view and the compliance screens: labels for the domain's
// codes (stages, channels, outcomes, guardrails), local date-time fields, and file downloads.
import type { TFunction } from 'i18next';
import { appNow } from './clock.js';
import { saveBlob } from './download.js';

export { CHANNELS, DEFAULT_OUTCOMES, GUARDRAILS, OVERRIDABLE } from '../shared/domain/casework/guardrails.js';
export { STAGES, PAUSE_REASONS, nextStages, checkTransition } from '../shared/domain/casework/stages.js';

export const stageName = (t: TFunction, s: string): string => t(`cases.stages.${s}`, { defaultValue: s });
export const channelName = (t: TFunction, c: string): string => t(`casework.channels.${c}`, { defaultValue: c });
export const outcomeName = (t: TFunction, o: string): string => t(`casework.outcomes.${o}`, { defaultValue: o });
export const ruleName = (t: TFunction, r: string): string => t(`casework.rules.${r}.name`, { defaultValue: r });
/** The plain reason a rule stands for, in the UI language (the server's own sentence is the detail). */
export const ruleReason = (t: TFunction, r: string): string => t(`casework.rules.${r}.reason`, { defaultValue: r });
export const actionName = (t: TFunction, a: string): string => t(`today.actions.${a}`, { defaultValue: a });

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date as a datetime-local field shows it: YYYY-MM-DDTHH:mm in this computer's time. */
export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value as an ISO instant; null when empty or not a time. */
export function fromLocalInput(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** YYYY-MM-DD of this computer's day, `days` from today. */
export function localDay(days = 0): string {
  const d = appNow();
  d.setDate(d.getDate() + days);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** 75 → "1:15". */
export function formatDuration(sec: number): string {
  return `${Math.floor(sec / 60)}:${pad(sec % 60)}`;
}

/** A short local time for follow-ups ("04/05 14:30"). */
export function formatShortTime(iso: string, lang: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
}

/** Saves a file the backend sent as base64 (a download in the browser, the save dialog in Electron). */
export function downloadBase64(name: string, mime: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  saveBlob(name, new Blob([bytes], { type: mime || 'application/octet-stream' }));
}

/**
 * Puts text on the clipboard. The async clipboard API needs a permission the desktop app denies (it
 * denies every permission request), so a selected hidden textarea and the copy command are the fallback;
 * `within` keeps that textarea inside an open dialog or drawer, whose focus trap would take focus back.
 */
export async function copyText(text: string, within: HTMLElement = document.body): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    within.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

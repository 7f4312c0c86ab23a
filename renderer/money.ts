// Money helpers for the screens: fen shown as ¥ with 2 decimals, yuan typed by users parsed to fen
// (digit by digit, never a float), parts per million shown and typed as percentages, and labels.
import type { TFunction } from 'i18next';
import { formatFen, parseMoneyToFen } from '../shared/domain/placement/money.js';

export const yuan = (fen: number): string => formatFen(fen, { symbol: '¥' });

/** A typed amount in yuan ("1,234.5", "¥12") as fen; null when empty or not an amount. */
export function parseYuan(text: string): number | null {
  if (text.trim() === '') return null;
  const r = parseMoneyToFen(text);
  return r.ok ? r.value : null;
}

/** Fen as a yuan field shows it ("1234.50"), empty for zero. */
export const yuanInput = (fen: number): string => (fen ? (fen / 100).toFixed(2) : '');

/** Parts per million as a percentage ("0.05" for 500 ppm). */
export function ppmToPercent(ppm: number): string {
  const sign = ppm < 0 ? '-' : '';
  const abs = Math.abs(ppm);
  const int = Math.floor(abs / 10_000);
  const frac = String(abs % 10_000).padStart(4, '0').replace(/0+$/, '');
  return `${sign}${int}${frac ? `.${frac}` : ''}`;
}

/** A typed percentage ("0.05", "24", "24 %") as parts per million, up to 4 decimals; null if not one. */
export function percentToPpm(text: string): number | null {
  const m = /^\s*(\d{1,7})(?:\.(\d{1,4}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'));
}

export const planStatusName = (t: TFunction, s: string): string => t(`money.plans.statuses.${s}`, { defaultValue: s });
export const planKindName = (t: TFunction, k: string): string => t(`money.plans.kinds.${k}`, { defaultValue: k });
export const installmentStateName = (t: TFunction, s: string): string => t(`money.plans.installmentStates.${s}`, { defaultValue: s });
export const promiseStateName = (t: TFunction, s: string): string => t(`money.promises.states.${s}`, { defaultValue: s });
export const channelName = (t: TFunction, c: string): string => t(`money.payments.channels.${c}`, { defaultValue: c });
export const componentName = (t: TFunction, c: string): string => t(`money.components.${c}`, { defaultValue: c });

type ChipColor = 'default' | 'success' | 'warning' | 'error' | 'info';
const COLORS: Record<string, ChipColor> = {
  active: 'info',
  completed: 'success',
  paid: 'success',
  kept: 'success',
  proposed: 'warning',
  awaiting_lender: 'warning',
  due: 'warning',
  part_paid: 'warning',
  partly_kept: 'warning',
  broken: 'error',
  missed: 'error',
};
/** MUI chip colours for plan, installment and promise states. */
export const stateColor = (s: string): ChipColor => COLORS[s] ?? 'default';

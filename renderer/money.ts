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

// The one rule for percentages, shared with the command line.
export { percentToPpm, ppmToPercent } from '../shared/domain/money/percent.js';

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

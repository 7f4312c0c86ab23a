// Commission on recovered amounts: each payment earns the rate of the highest tier whose `fromDay` is at
// or below the case's days overdue at placement. Rates are in parts per million; the commission on each
// payment is rounded to the fen half up (0.5 fen → 1 fen), and a statement's total is the sum of its lines,
// so the lines always add up to the total.

export interface CommissionTier {
  fromDay: number;
  ratePpm: number;
}

/** The rate for a case (0 when no tier reaches down to its days overdue, or it has none). */
export function rateFor(tiers: readonly CommissionTier[], daysOverdue: number | null): number {
  if (daysOverdue === null) return tiers.length > 0 && tiers[0]!.fromDay === 0 ? tiers[0]!.ratePpm : 0;
  let rate = 0;
  for (const t of tiers) if (t.fromDay <= daysOverdue) rate = t.ratePpm;
  return rate;
}

/** amountFen × ratePpm / 1,000,000, rounded half up, in exact integer arithmetic (no float on the way). */
export function commissionFen(amountFen: number, ratePpm: number): number {
  if (!Number.isSafeInteger(amountFen) || !Number.isSafeInteger(ratePpm) || ratePpm < 0) throw new RangeError('whole fen and a whole, non-negative rate');
  const sign = amountFen < 0 ? -1n : 1n;
  const product = BigInt(Math.abs(amountFen)) * BigInt(ratePpm);
  // Half up, symmetric for a negative amount (a refund's commission mirrors the payment's).
  return Number(sign * ((product * 2n + 1_000_000n) / 2_000_000n));
}

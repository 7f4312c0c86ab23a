// What an import learns about the file as a whole while it reads the rows: how each row's total was
// formed, the rows whose total disagreed with its components, and the 委案日期 / 委案到期日 it gives (the
// batch takes its dates from them). Per row: a few counter bumps, and a map lookup for a date column.
import type { PlacementCase } from '../../shared/domain/placement/normalise-row.js';
import { AMOUNT_BASES, amountFormula, type AmountBasis } from '../../shared/domain/placement/amounts.js';
import type { Layout } from './walk.js';

/** The dates one column gives: earliest, latest, most common (the earliest of equals) and how many rows. */
export interface DateSummary {
  first: string;
  last: string;
  common: string;
  rows: number;
  /** Distinct dates. */
  distinct: number;
}

class DateTally {
  private counts = new Map<string, number>();

  add(d: string | null): void {
    if (d !== null) this.counts.set(d, (this.counts.get(d) ?? 0) + 1);
  }

  summary(): DateSummary | null {
    if (this.counts.size === 0) return null;
    const days = [...this.counts.keys()].sort();
    let common = days[0]!;
    let rows = 0;
    for (const d of days) {
      const n = this.counts.get(d)!;
      rows += n;
      if (n > this.counts.get(common)!) common = d;
    }
    return { first: days[0]!, last: days[days.length - 1]!, common, rows, distinct: days.length };
  }
}

export interface FileFactsSummary {
  /** Rows per basis (only bases that occurred). */
  bases: { basis: AmountBasis; rows: number }[];
  /** Rows imported with the total kept and the difference booked as principal. */
  adjusted: number;
  placement: DateSummary | null;
  termEnd: DateSummary | null;
}

export class FileFacts {
  private readonly basisRows = [0, 0, 0];
  adjusted = 0;
  private readonly placed = new DateTally();
  private readonly termEnd = new DateTally();

  /** A row that will be imported. */
  add(c: PlacementCase): void {
    this.basisRows[AMOUNT_BASES.indexOf(c.amountBasis)]!++;
    if (c.amountMismatch !== null) this.adjusted++;
    this.placed.add(c.placedOn);
    this.termEnd.add(c.termEndDate);
  }

  summary(): FileFactsSummary {
    return {
      bases: AMOUNT_BASES.map((basis, i) => ({ basis, rows: this.basisRows[i]! })).filter((b) => b.rows > 0),
      adjusted: this.adjusted,
      placement: this.placed.summary(),
      termEnd: this.termEnd.summary(),
    };
  }
}

/** The preview's "how the total was formed", one line per basis the file's rows used. */
export function amountBasisOf(layout: Layout, s: FileFactsSummary): { basis: AmountBasis; formula: string; rows: number }[] {
  const header = (field: string) => {
    const col = layout.columns[field];
    return col === null || col === undefined ? null : layout.headers[col] || `column ${col + 1}`;
  };
  return s.bases.map((b) => ({ ...b, formula: amountFormula(b.basis, header) }));
}

// Column helpers every grid uses, so identifiers, amounts and counts look and behave the same everywhere.
// An identifier (case number, lender code, batch number, masked ID or phone) is never cut: AppGrid widens its
// column to the longest value shown (and will not let it be dragged narrower), the cell's title carries the
// full value, the text can be selected, and Ctrl+C on the focused cell copies it.
import type { GridColDef, GridValidRowModel } from '@mui/x-data-grid';
import { formatFen } from '../placement.js';
import { formatCount } from '../format.js';

export const IDENT_CLASS = 'ad-ident';

/** An identifier column: fits its longest value, full value on hover, selectable and copyable. */
export function identCol<R extends GridValidRowModel>(def: GridColDef<R>): GridColDef<R> {
  return {
    ...def,
    cellClassName: IDENT_CLASS,
    renderCell:
      def.renderCell ??
      ((p) => {
        const text = p.formattedValue === undefined || p.formattedValue === null ? '' : String(p.formattedValue);
        return (
          <span title={text} data-ident={p.field}>
            {text}
          </span>
        );
      }),
  };
}

export const isIdentCol = (c: GridColDef): boolean => c.cellClassName === IDENT_CLASS;

/** An amount in fen shown as yuan with thousands separators ("1,234,567.00"). */
export function fenCol<R extends GridValidRowModel>(def: GridColDef<R>): GridColDef<R> {
  return { type: 'number', valueFormatter: (v: number | null) => (v === null || v === undefined ? '' : formatFen(v)), ...def };
}

/** A count with thousands separators in the UI language ("12,345"). */
export function countCol<R extends GridValidRowModel>(def: GridColDef<R>): GridColDef<R> {
  return { type: 'number', valueFormatter: (v: number | null) => (v === null || v === undefined ? '' : formatCount(v)), ...def };
}

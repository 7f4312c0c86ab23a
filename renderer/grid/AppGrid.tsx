// The one data grid every list uses. On top of MUI's DataGrid it:
// - keeps each user's column widths, hidden columns and density (per grid, in the store: usePref), so a
//   reload, a re-login or another desk shows the grid as the user left it;
// - fits identifier columns (identCol) to their longest value: never "ZA2025000…";
// - speaks the UI language (its own "no rows" text via noRowsLabel) and offers compact rows in the column menu.
// Pages pass the usual DataGrid props; `columnVisibilityModel` is for columns hidden by context (a lender's
// own list needs no lender column): those stay hidden whatever the user chose.
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import MenuItem from '@mui/material/MenuItem';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import CheckIcon from '@mui/icons-material/Check';
import {
  DataGrid,
  GridColumnMenu,
  gridDensitySelector,
  useGridApiContext,
  useGridSelector,
  type DataGridProps,
  type GridColDef,
  type GridColumnMenuItemProps,
  type GridColumnMenuProps,
  type GridColumnVisibilityModel,
  type GridDensity,
  type GridValidRowModel,
} from '@mui/x-data-grid';
import { useGridLocaleText } from '../gridLocale.js';
import { usePref } from './usePrefs.js';
import { isIdentCol } from './columns.js';
import type { GridPrefs } from '../../shared/contract/prefs.js';

// Row and header heights for "standard"; compact is 0.7 of them (30 px rows, 35 px headers): MUI's 52/56 left
// only 9 rows of the cases list at 1366×768. The footer (pagination) is 40 px instead of 52.
const ROW_HEIGHT = 43;
const HEADER_HEIGHT = 50;
const FOOTER_SX = { '& .MuiDataGrid-footerContainer': { minHeight: 40 }, '& .MuiTablePagination-toolbar': { minHeight: 40 } };

// Cell padding (10 px each side) and the cell's border, plus room for a sort arrow on the header.
const CELL_PAD = 24;
const HEADER_PAD = 44;

let canvas: HTMLCanvasElement | null = null;
/** Text width in the grid's font (body2: 14 px; headers 500 weight). */
function textWidth(text: string, weight = 400): number {
  canvas ??= document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) return text.length * 9;
  ctx.font = `${weight} 14px ${getComputedStyle(document.body).fontFamily || 'sans-serif'}`;
  return ctx.measureText(text).width;
}

/** The width an identifier column needs for its longest value on screen and its header. */
function identWidth(col: GridColDef, rows: readonly GridValidRowModel[]): number {
  let longest = '';
  for (const r of rows) {
    const v = r[col.field] as unknown;
    const s = v === null || v === undefined ? '' : String(v);
    if (s.length > longest.length) longest = s;
  }
  // Digits and Latin letters: the longest string is the widest to within a character; a 4 % margin covers that.
  const cell = Math.ceil(textWidth(longest) * 1.04) + CELL_PAD;
  const header = Math.ceil(textWidth(col.headerName ?? col.field, 500)) + HEADER_PAD;
  return Math.max(cell, header, 48);
}

function DensityItem({ onClick }: GridColumnMenuItemProps) {
  const { t } = useTranslation();
  const apiRef = useGridApiContext();
  const density = useGridSelector(apiRef, gridDensitySelector);
  const compact = density === 'compact';
  return (
    <MenuItem
      data-testid="grid-density-toggle"
      onClick={(e) => {
        apiRef.current.setDensity(compact ? 'standard' : 'compact');
        onClick(e);
      }}
    >
      <ListItemIcon>{compact ? <CheckIcon fontSize="small" /> : null}</ListItemIcon>
      <ListItemText>{t('grid.compactRows')}</ListItemText>
    </MenuItem>
  );
}

function ColumnMenu(props: GridColumnMenuProps) {
  return <GridColumnMenu {...props} slots={{ columnMenuUserItem: DensityItem }} slotProps={{ columnMenuUserItem: { displayOrder: 40 } }} />;
}

export type AppGridProps<R extends GridValidRowModel> = DataGridProps<R> & {
  /** The key the user's preferences are kept under ("cases" → grid.cases). */
  gridId: string;
  /** The grid's "no rows" text (the rest of its texts come in the UI language). */
  noRowsLabel?: string;
};

export function AppGrid<R extends GridValidRowModel>({ gridId, noRowsLabel, columns, rows, columnVisibilityModel, density, initialState, localeText, slots, ...rest }: AppGridProps<R>) {
  const { t } = useTranslation();
  const locale = useGridLocaleText(noRowsLabel ?? t('grid.noRows'));
  const [prefs, setPrefs] = usePref(`grid.${gridId}`);
  const p: GridPrefs = prefs ?? {};

  const cols = useMemo(
    () =>
      columns.map((c): GridColDef<R> => {
        const stored = p.widths?.[c.field];
        if (!isIdentCol(c as GridColDef)) return stored ? { ...c, width: stored, flex: undefined } : c;
        const need = identWidth(c as GridColDef, rows ?? []);
        const minWidth = Math.max(c.minWidth ?? 0, need);
        if (stored) return { ...c, minWidth, width: Math.max(stored, minWidth), flex: undefined };
        return c.flex ? { ...c, minWidth } : { ...c, minWidth, width: Math.max(c.width ?? 0, minWidth) };
      }),
    [columns, rows, p.widths],
  );

  // Context hides win; then the user's choices; then the page's defaults.
  const forced = columnVisibilityModel ?? {};
  const defaults = initialState?.columns?.columnVisibilityModel ?? {};
  const visibility = useMemo<GridColumnVisibilityModel>(() => {
    const m: GridColumnVisibilityModel = { ...defaults, ...p.visible };
    for (const [f, v] of Object.entries(forced)) if (v === false) m[f] = false;
    return m;
  }, [JSON.stringify(defaults), JSON.stringify(forced), p.visible]);

  const save = useCallback((next: Partial<GridPrefs>) => setPrefs({ ...(prefs ?? {}), ...next }), [prefs, setPrefs]);

  const onVisibility = (model: GridColumnVisibilityModel) => {
    const visible: Record<string, boolean> = {};
    for (const c of columns) {
      if (forced[c.field] === false) continue; // hidden by context, not by the user
      const shown = model[c.field] !== false;
      if (shown !== (defaults[c.field] !== false)) visible[c.field] = shown;
    }
    save({ visible });
  };

  const { columns: _ignored, ...initialRest } = initialState ?? {};
  return (
    <DataGrid<R>
      {...rest}
      rows={rows}
      columns={cols}
      initialState={initialRest}
      columnVisibilityModel={visibility}
      onColumnVisibilityModelChange={onVisibility}
      onColumnWidthChange={(e) => save({ widths: { ...p.widths, [e.colDef.field]: Math.round(e.width) } })}
      rowHeight={rest.rowHeight ?? ROW_HEIGHT}
      columnHeaderHeight={rest.columnHeaderHeight ?? HEADER_HEIGHT}
      density={p.density ?? density ?? 'compact'}
      onDensityChange={(d: GridDensity) => save({ density: d })}
      localeText={{ ...locale, ...localeText }}
      slots={{ columnMenu: ColumnMenu, ...slots }}
      sx={[{ '& .ad-ident': { fontVariantNumeric: 'tabular-nums', userSelect: 'text' }, ...FOOTER_SX }, ...(Array.isArray(rest.sx) ? rest.sx : [rest.sx])]}
    />
  );
}

// The case list: filtered, sorted and paged by the backend (a lender's file can hold millions of rows).
// ID numbers and phones arrive masked; collectors only ever get their own cases (enforced in core).
// A click on a row opens the case; managers pick rows (this page's) to assign, give or recall them.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import LinkIcon from '@mui/icons-material/Link';
import { type GridColDef, type GridPaginationModel, type GridRowSelectionModel, type GridSortModel } from '@mui/x-data-grid';
import { useApi, useSession } from '../context.js';
import { useLiveVersion } from '../api/useLiveVersion.js';
import { describeError } from '../errors.js';
import { formatFen, yuanToFen } from '../placement.js';
import { useNav, useOpenCase } from '../shell/navigation.js';
import { AppGrid } from '../grid/AppGrid.js';
import { identCol } from '../grid/columns.js';
import { CaseFilters, EMPTY_FILTERS, type FilterValues } from './CaseFilters.js';
import { CaseActions } from './cases/CaseActions.js';
import { CaseDrawer } from './cases/CaseDrawer.js';
import { CASE_FLAGS, FLAG_COLOR, flagName } from '../complaints.js';
import type { Staff } from '../assign.js';
import { CASE_SORTS, type CaseRow, type Lender } from '../../shared/contract/placements.js';
import type { MethodInput } from '../../shared/contract/registry.js';

type Sort = (typeof CASE_SORTS)[number];
const SORTABLE = new Set<string>(CASE_SORTS);
const DEBOUNCE_MS = 300;

/** The filters as the API takes them; invalid amounts are left out (the field shows the error). */
function toQuery(f: FilterValues): Omit<MethodInput<'cases.list'>, 'sort' | 'desc' | 'offset' | 'limit'> {
  const min = yuanToFen(f.min);
  const max = yuanToFen(f.max);
  return {
    ...(f.lenderId !== '' ? { lenderId: f.lenderId } : {}),
    ...(f.batchId !== '' ? { batchId: f.batchId } : {}),
    ...(f.bucket ? { bucket: f.bucket } : {}),
    ...(typeof min === 'number' ? { minAmountFen: min } : {}),
    ...(typeof max === 'number' ? { maxAmountFen: max } : {}),
    ...(typeof f.collector === 'number' ? { collectorId: f.collector } : {}),
    ...(f.collector === 'unassigned' ? { unassigned: true } : {}),
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(f.stage ? { stage: f.stage } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(f.followUpBy ? { followUpBy: f.followUpBy } : {}),
    ...(f.promiseBy ? { promiseBy: f.promiseBy } : {}),
    ...(f.flag ? { flag: f.flag as (typeof CASE_FLAGS)[number] } : {}),
    ...(f.termEnd === 'ended' ? { termEnd: 'ended' as const } : /^\d+$/.test(f.termEnd) ? { termEnd: Number(f.termEnd) } : {}),
  };
}

const NO_SELECTION: GridRowSelectionModel = { type: 'include', ids: new Set() };

/** The picked ids: "select all" on the header answers as an exclusion over the rows on this page. */
function pickedIds(model: GridRowSelectionModel, rows: CaseRow[]): number[] {
  if (model.type === 'include') return [...model.ids].map(Number);
  return rows.filter((r) => !model.ids.has(r.id)).map((r) => r.id);
}

/** What a tail search matched on a case, in words: "联系人1 张三(父亲)", "手机号", "证件号". */
function matchedText(t: TFunction, matched: CaseRow['matched']): string {
  return (matched ?? [])
    .map((m) =>
      m.field === 'contact' ? t('cases.matchedContact', { slot: m.slot, name: m.name ?? '', relation: m.relation ? `(${m.relation})` : '' }).trim() : t(`cases.matchedField.${m.field}`),
    )
    .join('，');
}

export function CasesPage() {
  const { t } = useTranslation();
  const api = useApi();
  const nav = useNav();
  const { session } = useSession();
  const canAssign = session.permissions.includes('assign.manage');
  const seesStaff = session.permissions.includes('users.read');
  const [lenders, setLenders] = useState<Lender[]>([]);
  const [staff, setStaff] = useState<Staff[] | null>(null);
  const [filters, setFilters] = useState<FilterValues>({
    ...EMPTY_FILTERS,
    lenderId: nav.params.lenderId ?? '',
    batchId: nav.params.batchId ?? '',
    collector: nav.params.collectorId ?? '',
    termEnd: nav.params.termEndDays !== undefined ? String(nav.params.termEndDays) : '',
  });
  const [query, setQuery] = useState(() => toQuery(filters));
  const [pageModel, setPageModel] = useState<GridPaginationModel>({ page: 0, pageSize: 50 });
  const [sortModel, setSortModel] = useState<GridSortModel>([{ field: 'outstandingFen', sort: 'desc' }]);
  const [data, setData] = useState<{ total: number; rows: CaseRow[] } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [selection, setSelection] = useState<GridRowSelectionModel>(NO_SELECTION);
  const [openCase, setOpenCase] = useOpenCase();
  const [refresh, setRefresh] = useState(0);
  // A collector's list follows what managers assign and recall; a manager's list stays put while they pick.
  const liveVersion = useLiveVersion();
  const listVersion = session.user.role === 'collector' ? liveVersion : '';
  const seq = useRef(0);
  const queryKey = useRef(JSON.stringify(query));

  const byLender = session.permissions.includes('lenders.read');
  useEffect(() => {
    if (!byLender) return;
    api.call('lenders.list', {}).then(
      (r) => setLenders(r.lenders),
      () => setLenders([]),
    );
  }, [api, byLender]);

  // Collectors for the filter and the give dialog (roles without users.read never filter by collector).
  const loadStaff = useCallback(() => {
    if (!seesStaff) return;
    api.call('staff.list', {}).then(
      (r) => setStaff(r.staff),
      () => setStaff([]),
    );
  }, [api, seesStaff]);
  useEffect(loadStaff, [loadStaff]);

  /** A new query (back to page 1) only when it differs from the current one: no duplicate fetches. */
  const apply = (f: FilterValues) => {
    const next = toQuery(f);
    const key = JSON.stringify(next);
    if (key === queryKey.current) return;
    queryKey.current = key;
    setQuery(next);
    setPageModel((m) => (m.page === 0 ? m : { ...m, page: 0 }));
  };
  const changeFilters = (f: FilterValues) => {
    setFilters(f);
    // Picks from a list and Clear apply at once; typing waits for the debounce below.
    if (f === EMPTY_FILTERS || (f.q === filters.q && f.min === filters.min && f.max === filters.max)) apply(f);
  };
  useEffect(() => {
    const timer = setTimeout(() => apply(filters), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [filters]);

  useEffect(() => {
    const s = sortModel[0];
    const sort: Sort = s && SORTABLE.has(s.field) ? (s.field as Sort) : 'outstandingFen';
    const desc = s ? s.sort !== 'asc' : true;
    const mine = ++seq.current; // answers to older requests are dropped
    setLoading(true);
    api.call('cases.list', { ...query, sort, desc, offset: pageModel.page * pageModel.pageSize, limit: pageModel.pageSize }).then(
      (r) => {
        if (mine !== seq.current) return;
        setData(r);
        setSelection(NO_SELECTION);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(e);
        setLoading(false);
      },
    );
  }, [api, query, pageModel, sortModel, refresh, listVersion]);

  // A search by 尾号 or a contact's phone says, per row, whose number matched (联系人1 张三(父亲)).
  const searched = Boolean(data?.rows.some((r) => r.matched?.length));
  const columns: GridColDef<CaseRow>[] = useMemo(() => {
    const s = (field: string) => SORTABLE.has(field);
    const matchedColumn: GridColDef<CaseRow>[] = searched
      ? [{ field: 'matched', headerName: t('cases.col.matched'), minWidth: 160, sortable: false, renderCell: (p) => <span data-testid={`case-matched-${p.row.caseNo}`}>{matchedText(t, p.row.matched)}</span> }]
      : [];
    return [
      // What people scan first (amount, status, who holds it), then the contact and identity columns.
      identCol<CaseRow>({ field: 'lenderCode', headerName: t('cases.col.lender'), width: 76, sortable: false }),
      identCol<CaseRow>({ field: 'caseNo', headerName: t('cases.col.caseNo'), sortable: s('caseNo') }),
      { field: 'borrowerName', headerName: t('cases.col.borrower'), width: 90, sortable: s('borrowerName') },
      ...matchedColumn,
      // Owed today (the one balance function; sorted by the figure of each case's last money change), then the placed amount.
      { field: 'outstandingFen', headerName: t('money.figures.outstanding'), description: t('money.figures.outstandingHelp'), type: 'number', width: 130, sortable: s('outstandingFen'), valueFormatter: (v: number) => formatFen(v) },
      { field: 'placedFen', headerName: t('money.figures.placed'), description: t('money.figures.placedHelp'), type: 'number', width: 120, sortable: false, valueFormatter: (v: number) => formatFen(v) },
      { field: 'daysOverdue', headerName: t('cases.col.days'), type: 'number', width: 96, description: t('cases.col.daysHelp'), sortable: s('daysOverdue') },
      { field: 'bucket', headerName: t('cases.col.bucket'), width: 72, sortable: false },
      { field: 'stage', headerName: t('cases.col.stage'), width: 64, sortable: false, valueFormatter: (v: string) => t(`cases.stages.${v}`, { defaultValue: v }) },
      // 失联 / 投诉 / 高风险 / 已故 as chips (cases.setFlag; 投诉 while a complaint is open).
      {
        field: 'flags',
        headerName: t('flags.label'),
        width: 96,
        sortable: false,
        renderCell: (p) => (
          <Box sx={{ display: 'flex', gap: 0.25, alignItems: 'center', height: '100%', overflow: 'hidden' }} data-testid={`case-flags-${p.row.caseNo}`}>
            {(p.row.flags ?? []).map((f) => (
              <Chip key={f} size="small" color={FLAG_COLOR[f]} label={flagName(t, f)} sx={{ height: 20, '& .MuiChip-label': { px: 0.5 } }} />
            ))}
          </Box>
        ),
      },
      {
        field: 'collector',
        headerName: t('cases.col.collector'),
        width: 110,
        sortable: false,
        renderCell: (p) => (p.row.collector ?? <Box component="span" sx={{ color: 'text.disabled' }}>{t('cases.unassigned')}</Box>),
      },
      {
        field: 'linkedCases',
        headerName: t('cases.col.linked'),
        width: 80,
        sortable: false,
        renderCell: (p) =>
          p.row.linkedCases > 0 ? (
            <Tooltip title={`${t('cases.linked', { count: p.row.linkedCases })}: ${t('cases.linkedHelp')}`}>
              <Chip size="small" color="warning" variant="outlined" icon={<LinkIcon />} label={p.row.linkedCases} aria-label={t('cases.linked', { count: p.row.linkedCases })} data-testid={`case-linked-${p.row.caseNo}`} />
            </Tooltip>
          ) : null,
      },
      identCol<CaseRow>({ field: 'mobile', headerName: t('cases.col.mobile'), sortable: false }),
      identCol<CaseRow>({ field: 'idNumber', headerName: t('cases.col.idNumber'), sortable: false }),
      { field: 'province', headerName: t('cases.col.province'), width: 80, sortable: false, valueFormatter: (v: string | null) => v ?? '' },
      identCol<CaseRow>({ field: 'batchNo', headerName: t('cases.col.batch'), sortable: false }),
    ];
  }, [t, searched]);

  // The page fills the window below the app bar (64 px) and the page padding (2 × 24 px); the grid takes what the
  // title, filters and actions leave (≥ 12 compact rows at 1366×768 for a manager), instead of a guessed offset.
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: 'calc(100vh - 112px)', minHeight: 520 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', columnGap: 3, flexWrap: 'wrap', mb: 1 }}>
        <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 2 }}>
          <Typography variant="h5" component="h1">
            {t('cases.title')}
          </Typography>
          <Typography sx={{ color: 'text.secondary' }} data-testid="cases-total">
            {data ? t('cases.total', { count: data.total }) : ''}
          </Typography>
        </Box>
        {canAssign ? (
          <CaseActions
            picked={pickedIds(selection, data?.rows ?? [])}
            staff={staff ?? []}
            onChanged={() => {
              setRefresh((n) => n + 1);
              loadStaff();
            }}
          />
        ) : null}
      </Box>
      {session.user.role === 'collector' ? (
        <Alert severity="info" sx={{ mb: 1 }}>
          {t('cases.collectorNote')}
        </Alert>
      ) : null}
      <CaseFilters value={filters} onChange={changeFilters} lenders={lenders} staff={staff} byLender={byLender} />
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      <Box sx={{ flex: '1 1 0', minHeight: 320 }} data-testid="cases-grid">
        <AppGrid
          gridId="cases"
          rows={data?.rows ?? []}
          rowCount={data?.total ?? 0}
          columns={columns}
          loading={loading}
          paginationMode="server"
          sortingMode="server"
          paginationModel={pageModel}
          onPaginationModelChange={setPageModel}
          sortModel={sortModel}
          onSortModelChange={setSortModel}
          sortingOrder={['desc', 'asc']}
          // Opened for one lender or batch: its column would repeat one value on every row.
          columnVisibilityModel={{ lenderCode: !nav.params.lenderId, batchNo: !nav.params.batchId }}
          pageSizeOptions={[25, 50, 100]}
          checkboxSelection={canAssign}
          rowSelectionModel={selection}
          onRowSelectionModelChange={setSelection}
          // A click (or Enter on a cell) opens the case; only the checkbox picks it.
          onCellClick={(p) => p.field !== '__check__' && setOpenCase(Number(p.id))}
          onCellKeyDown={(p, e) => e.key === 'Enter' && p.field !== '__check__' && setOpenCase(Number(p.id))}
          disableColumnFilter
          disableRowSelectionOnClick
          density="compact"
          aria-label={t('cases.title')}
          sx={{ '& .MuiDataGrid-row': { cursor: 'pointer' } }}
        />
      </Box>
      <CaseDrawer caseId={openCase} onClose={() => setOpenCase(null)} onChanged={() => setRefresh((n) => n + 1)} />
    </Box>
  );
}

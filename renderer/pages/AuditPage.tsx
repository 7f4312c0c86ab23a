// The audit log, newest first: page by page with "Load older", filter by action, verify the hash chain.
// Each entry reads as a sentence ("张三 登记回款 ¥1,234.00（案件 ZA2025000123456）", renderer/audit/words.ts) with its
// details as labelled fields; a click on the row (or its details button) shows them all and the raw JSON.
import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import VerifiedIcon from '@mui/icons-material/Verified';
import RefreshIcon from '@mui/icons-material/Refresh';
import IconButton from '@mui/material/IconButton';
import Dialog from '@mui/material/Dialog';
import DialogTitle from '@mui/material/DialogTitle';
import DialogContent from '@mui/material/DialogContent';
import DialogActions from '@mui/material/DialogActions';
import InfoOutlinedIcon from '@mui/icons-material/InfoOutlined';
import type { GridColDef } from '@mui/x-data-grid';
import { useApi, useSession } from '../context.js';
import { AppGrid } from '../grid/AppGrid.js';
import { countCol } from '../grid/columns.js';
import { actorOf, describeAudit, WORDED_ACTIONS, type AuditWords } from '../audit/words.js';
import { describeError } from '../errors.js';
import { formatDateTime } from '../format.js';
import type { AuditEntry, AuditVerify } from '../../shared/contract/models.js';

const PAGE = 100;

/** The details in one line of labelled fields ("金额: ¥1,234.00 · 渠道: alipay"). */
const fieldsLine = (w: AuditWords): string => w.fields.map((f) => `${f.label}: ${f.value}`).join(' · ');

type Row = AuditEntry & { words: AuditWords; who: string };
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [action, setAction] = useState('');
  const [loading, setLoading] = useState(false);
  const [hasMore, setHasMore] = useState(true);
  const [error, setError] = useState<{ cause: unknown } | null>(null);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [open, setOpen] = useState<Row | null>(null);
  const { session } = useSession();
  // Names instead of usernames where the reader may list users (admins and auditors may).
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const seesUsers = session.permissions.includes('users.read');
  useEffect(() => {
    if (!seesUsers) return;
    api.call('users.list', { includeDisabled: true }).then(
      (r) => setNames(new Map(r.users.map((u) => [u.username, u.displayName]))),
      () => {},
    );
  }, [api, seesUsers]);

  const load = useCallback(
    async (beforeSeq: number | undefined, replace: boolean) => {
      setLoading(true);
      setError(null);
      try {
        const { entries: page } = await api.call('audit.list', { limit: PAGE, ...(beforeSeq ? { beforeSeq } : {}), ...(action ? { action } : {}) });
        setEntries((old) => (replace ? page : [...old, ...page]));
        setHasMore(page.length === PAGE);
      } catch (e) {
        setError({ cause: e });
      } finally {
        setLoading(false);
      }
    },
    [api, action],
  );

  useEffect(() => {
    void load(undefined, true);
  }, [load]);

  async function runVerify() {
    setVerifying(true);
    setError(null);
    try {
      setVerify(await api.call('audit.verify', {}));
    } catch (e) {
      setError({ cause: e });
    } finally {
      setVerifying(false);
    }
  }

  const oldestSeq = entries.length ? entries[entries.length - 1]!.seq : undefined;
  const actions = useMemo(() => [...new Set([...WORDED_ACTIONS, ...entries.map((e) => e.action)])].sort(), [entries]);

  const lang = i18n.language;
  const who = useCallback((u: string) => names.get(u) ?? u, [names]);
  const rows: Row[] = useMemo(() => entries.map((e) => ({ ...e, words: describeAudit(t, e, lang, who), who: actorOf(t, e, who) })), [entries, t, lang, who]);
  const columns: GridColDef<Row>[] = useMemo(
    () => [
      countCol<Row>({ field: 'seq', headerName: t('audit.col.seq'), width: 80 }),
      { field: 'at', headerName: t('audit.col.at'), width: 170, valueFormatter: (v: string) => formatDateTime(v, lang) },
      { field: 'who', headerName: t('audit.col.actor'), width: 100 },
      {
        field: 'action',
        headerName: t('audit.col.action'),
        width: 130,
        valueGetter: (_v: unknown, row: Row) => row.words.name,
        renderCell: (p) => (
          <span title={p.row.action} data-action={p.row.action}>
            {p.row.words.name}
          </span>
        ),
      },
      {
        field: 'text',
        headerName: t('auditWords.col.what'),
        flex: 1,
        minWidth: 260,
        sortable: false,
        valueGetter: (_v: unknown, row: Row) => row.words.text,
        renderCell: (p) => (
          <Box sx={{ lineHeight: 1.3, py: 0.5, overflow: 'hidden' }} title={`${p.row.words.text}\n${fieldsLine(p.row.words)}`}>
            <Box component="span" data-testid={`audit-text-${p.row.seq}`}>{p.row.words.text}</Box>
            {p.row.words.fields.length ? (
              <Box component="div" sx={{ color: 'text.secondary', fontSize: '0.75rem', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
                {fieldsLine(p.row.words)}
              </Box>
            ) : null}
          </Box>
        ),
      },
      { field: 'host', headerName: t('audit.col.host'), width: 150 },
      {
        field: 'details',
        headerName: '',
        width: 56,
        sortable: false,
        disableColumnMenu: true,
        renderCell: (p) => (
          <IconButton size="small" aria-label={t('auditWords.showRaw')} data-testid={`audit-open-${p.row.seq}`} onClick={() => setOpen(p.row)}>
            <InfoOutlinedIcon fontSize="small" />
          </IconButton>
        ),
      },
    ],
    [t, lang],
  );

  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {t('audit.title')}
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', mb: 2 }}>
        <TextField
          select
          size="small"
          label={t('audit.filter')}
          value={action}
          onChange={(e) => setAction(e.target.value)}
          sx={{ minWidth: 220 }}
          slotProps={{ select: { displayEmpty: true, SelectDisplayProps: { 'data-testid': 'audit-action-filter' } as HTMLAttributes<HTMLDivElement> }, inputLabel: { shrink: true } }}
        >
          <MenuItem value="">{t('audit.allActions')}</MenuItem>
          {actions.map((a) => (
            <MenuItem key={a} value={a} data-testid={`audit-action-${a}`}>
              {t(`auditWords.actions.${a}.name`, { defaultValue: a })}
              <Box component="span" sx={{ color: 'text.disabled', ml: 1, fontSize: '0.75rem' }}>
                {a}
              </Box>
            </MenuItem>
          ))}
        </TextField>
        <Button startIcon={<RefreshIcon />} onClick={() => void load(undefined, true)} disabled={loading} data-testid="audit-refresh">
          {t('common.refresh')}
        </Button>
        <Box sx={{ flexGrow: 1 }} />
        <Button variant="contained" startIcon={<VerifiedIcon />} onClick={() => void runVerify()} disabled={verifying} data-testid="audit-verify">
          {t('audit.verify')}
        </Button>
      </Box>
      {verify ? (
        verify.ok ? (
          <Alert severity="success" sx={{ mb: 2 }} data-testid="audit-verify-result" data-ok="true">
            {t('audit.verifyOk', { count: verify.checked })}
            <Box component="div" sx={{ fontFamily: 'monospace', fontSize: '0.8rem', overflowWrap: 'anywhere', mt: 0.5 }}>
              {t('audit.headHash')}: {verify.headHash}
            </Box>
          </Alert>
        ) : (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="audit-verify-result" data-ok="false">
            {verify.brokenAt ? t('audit.verifyBroken', { seq: verify.brokenAt.seq, reason: verify.brokenAt.reason }) : t('audit.verifyBroken', { seq: '?', reason: '' })}
          </Alert>
        )
      ) : null}
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error.cause)}
        </Alert>
      ) : null}
      <Box sx={{ height: 'calc(100vh - 300px)', minHeight: 360 }} data-testid="audit-grid">
        <AppGrid
          gridId="audit"
          rows={rows}
          columns={columns}
          getRowId={(r) => r.seq}
          loading={loading}
          density="compact"
          // Two lines per entry: the sentence and its labelled details.
          getRowHeight={() => 'auto'}
          sx={{ '& .MuiDataGrid-cell': { display: 'flex', alignItems: 'center' } }}
          onRowDoubleClick={(p) => setOpen(p.row)}
          disableRowSelectionOnClick
          pageSizeOptions={[25, 50, 100]}
          initialState={{ pagination: { paginationModel: { pageSize: 100 } } }}
          aria-label={t('audit.title')}
        />
      </Box>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mt: 2 }}>
        <Button variant="outlined" onClick={() => void load(oldestSeq, false)} disabled={loading || !hasMore || oldestSeq === undefined} data-testid="audit-load-older">
          {t('audit.loadOlder')}
        </Button>
        {!hasMore && entries.length > 0 ? (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {t('audit.noMore')}
          </Typography>
        ) : null}
      </Box>
      <Dialog open={open !== null} onClose={() => setOpen(null)} maxWidth="md" fullWidth data-testid="audit-entry-dialog">
        {open ? (
          <>
            <DialogTitle>
              #{open.seq.toLocaleString('en-US')} {open.words.name}
            </DialogTitle>
            <DialogContent>
              <Typography sx={{ mb: 1 }} data-testid="audit-entry-text">
                {open.words.text}
              </Typography>
              <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
                {formatDateTime(open.at, lang)} · {open.who} · {open.host}
              </Typography>
              {open.words.fields.length ? (
                <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5, m: 0, mb: 2 }} data-testid="audit-entry-fields">
                  {open.words.fields.map((f) => (
                    <Box key={f.key} sx={{ display: 'contents' }}>
                      <Box component="dt" sx={{ color: 'text.secondary' }}>{f.label}</Box>
                      <Box component="dd" sx={{ m: 0, overflowWrap: 'anywhere' }} data-field={f.key}>{f.value}</Box>
                    </Box>
                  ))}
                </Box>
              ) : (
                <Typography variant="body2" sx={{ mb: 2 }}>{t('auditWords.noDetail')}</Typography>
              )}
              <Typography variant="subtitle2">{t('auditWords.rawJson')}</Typography>
              <Box component="pre" sx={{ fontFamily: 'monospace', fontSize: '0.8rem', bgcolor: 'action.hover', p: 1, borderRadius: 1, overflow: 'auto', maxHeight: 280, m: 0 }} data-testid="audit-entry-json">
                {JSON.stringify({ action: open.action, entity: open.entity, entityId: open.entityId, detail: open.detail }, null, 2)}
              </Box>
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setOpen(null)}>{t('common.close')}</Button>
            </DialogActions>
          </>
        ) : null}
      </Dialog>
    </Box>
  );
}

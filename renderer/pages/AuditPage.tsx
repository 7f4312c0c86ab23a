// The audit log, newest first: page by page with "Load older", filter by action, verify the hash chain.
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
import { DataGrid, type GridColDef } from '@mui/x-data-grid';
import { useApi } from '../context.js';
import { describeError } from '../errors.js';
import { formatDateTime } from '../format.js';
import type { AuditEntry, AuditVerify } from '../../shared/contract/models.js';

const PAGE = 100;
// Actions core writes today; actions seen in loaded entries are added to the filter too.
const KNOWN_ACTIONS = [
  'system.setup',
  'auth.login',
  'auth.failed',
  'auth.logout',
  'auth.recover',
  'auth.changePassword',
  'users.create',
  'users.update',
  'users.disable',
  'users.enable',
  'users.resetPassword',
  'teams.create',
  'teams.rename',
  'settings.update',
  'system.check',
];

function shortJson(detail: Record<string, unknown>): string {
  if (Object.keys(detail).length === 0) return '';
  const s = JSON.stringify(detail);
  return s.length > 120 ? `${s.slice(0, 119)}…` : s;
}

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
  const actions = useMemo(() => [...new Set([...KNOWN_ACTIONS, ...entries.map((e) => e.action)])].sort(), [entries]);

  const lang = i18n.language;
  const columns: GridColDef<AuditEntry>[] = useMemo(
    () => [
      { field: 'seq', headerName: t('audit.col.seq'), type: 'number', width: 80 },
      { field: 'at', headerName: t('audit.col.at'), width: 180, valueFormatter: (v: string) => formatDateTime(v, lang) },
      { field: 'actor', headerName: t('audit.col.actor'), width: 120 },
      { field: 'host', headerName: t('audit.col.host'), width: 150 },
      { field: 'action', headerName: t('audit.col.action'), width: 170 },
      { field: 'entity', headerName: t('audit.col.entity'), width: 90 },
      { field: 'entityId', headerName: t('audit.col.entityId'), width: 100 },
      {
        field: 'detail',
        headerName: t('audit.col.detail'),
        flex: 1,
        minWidth: 200,
        sortable: false,
        valueGetter: (_v: unknown, row: AuditEntry) => shortJson(row.detail),
        renderCell: (p) => (
          <Box component="span" title={JSON.stringify(p.row.detail, null, 2)} sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>
            {String(p.value ?? '')}
          </Box>
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
            <MenuItem key={a} value={a}>
              {a}
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
        <DataGrid
          rows={entries}
          columns={columns}
          getRowId={(r) => r.seq}
          loading={loading}
          density="compact"
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
    </Box>
  );
}

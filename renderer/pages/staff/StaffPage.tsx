// Collectors (催收员) as assignment sees them: team and its buckets, capacity, level, skills, regions,
// absence and open workload. Managers edit profiles, mark absence, and move an absent collector's cases.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Switch from '@mui/material/Switch';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import EditIcon from '@mui/icons-material/Edit';
import MoveIcon from '@mui/icons-material/DriveFileMove';
import RefreshIcon from '@mui/icons-material/Refresh';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { identCol } from '../../grid/columns.js';
import { useApi, useSession } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { formatFen } from '../../placement.js';
import { useNav } from '../../shell/navigation.js';
import { staffLabel, useRefData, type Staff } from '../../assign.js';
import { StaffDialog, type StaffFormValues } from './StaffDialog.js';
import { TeamBucketsPanel } from './TeamBucketsPanel.js';

const list = (xs: string[]) => xs.join('、');

export function StaffPage() {
  const { t } = useTranslation();
  const api = useApi();
  const nav = useNav();
  const notify = useNotify();
  const { session } = useSession();
  const canManage = session.permissions.includes('assign.manage');
  const { staff, teams, error, loaded, reload } = useRefData();
  const [editing, setEditing] = useState<Staff | null>(null);
  // The switch moves at once; the row catches up when the backend has answered (or moves back).
  const [absentNow, setAbsentNow] = useState<Record<number, boolean>>({});
  const localeText = useGridLocaleText(t('staff.empty'));

  const update = async (s: Staff, patch: Partial<StaffFormValues> & { absent?: boolean }): Promise<string | null> => {
    try {
      await api.call('staff.update', { userId: s.userId, ...patch });
    } catch (e) {
      return describeError(t, e);
    }
    await reload();
    return null;
  };

  const setAbsent = async (s: Staff, absent: boolean) => {
    setAbsentNow((m) => ({ ...m, [s.userId]: absent }));
    const err = await update(s, { absent });
    setAbsentNow(({ [s.userId]: _done, ...rest }) => rest);
    if (err) notify(err, 'error');
    else notify(t(absent ? 'staff.markedAbsent' : 'staff.markedPresent', { name: staffLabel(s) }));
  };

  const skillOptions = useMemo(() => [...new Set(staff.flatMap((s) => s.skills))].sort(), [staff]);

  const columns: GridColDef<Staff>[] = useMemo(() => {
    const cols: GridColDef<Staff>[] = [
      identCol({ field: 'username', headerName: t('staff.col.username'), width: 100 }),
      { field: 'displayName', headerName: t('staff.col.name'), width: 90 },
      { field: 'teamName', headerName: t('staff.col.team'), width: 80, valueFormatter: (v: string | null) => v ?? '—' },
      {
        field: 'teamBuckets',
        headerName: t('staff.col.buckets'),
        width: 120,
        sortable: false,
        renderCell: (p) => (
          <Box sx={{ display: 'flex', gap: 0.5, alignItems: 'center', height: '100%', overflow: 'hidden' }}>
            {p.row.teamBuckets.map((b) => (
              <Chip key={b} size="small" label={b} variant="outlined" sx={{ height: 20, '& .MuiChip-label': { px: 0.75 } }} />
            ))}
          </Box>
        ),
      },
      { field: 'capacity', headerName: t('staff.col.capacity'), type: 'number', width: 80 },
      { field: 'level', headerName: t('staff.col.level'), width: 70 },
      { field: 'skills', headerName: t('staff.col.skills'), minWidth: 90, flex: 1, sortable: false, valueFormatter: (v: string[]) => list(v) },
      { field: 'regions', headerName: t('staff.col.regions'), minWidth: 100, flex: 1, sortable: false, valueFormatter: (v: string[]) => list(v) },
      {
        field: 'absent',
        headerName: t('staff.col.absent'),
        width: 76,
        renderCell: (p) =>
          canManage ? (
            <Switch
              size="small"
              checked={absentNow[p.row.userId] ?? p.row.absent}
              onChange={(e) => void setAbsent(p.row, e.target.checked)}
              slotProps={{ input: { 'aria-label': t('staff.absentToggle', { name: staffLabel(p.row) }), 'data-testid': `staff-absent-${p.row.username}` } as object }}
            />
          ) : p.row.absent ? (
            <Chip size="small" color="warning" label={t('staff.absent')} data-testid={`staff-absent-${p.row.username}`} />
          ) : null,
      },
      { field: 'openCases', headerName: t('staff.col.openCases'), type: 'number', width: 80 },
      { field: 'openAmountFen', headerName: t('staff.col.openAmount'), type: 'number', width: 130, valueFormatter: (v: number) => formatFen(v) },
    ];
    if (canManage) {
      cols.push({
        field: 'actions',
        headerName: t('staff.col.actions'),
        width: 86,
        sortable: false,
        disableColumnMenu: true,
        renderCell: (p) => (
          <Box sx={{ display: 'flex', alignItems: 'center', height: '100%' }}>
            <Tooltip title={t('staff.edit')}>
              <IconButton size="small" onClick={() => setEditing(p.row)} aria-label={`${t('staff.edit')} ${p.row.username}`} data-testid={`staff-edit-${p.row.username}`}>
                <EditIcon fontSize="small" />
              </IconButton>
            </Tooltip>
            <Tooltip title={t('staff.moveCases')}>
              <span>
                <IconButton
                  size="small"
                  disabled={p.row.openCases === 0}
                  onClick={() => nav.navigate('assign', { collectorId: p.row.userId })}
                  aria-label={`${t('staff.moveCases')} ${p.row.username}`}
                  data-testid={`staff-move-${p.row.username}`}
                >
                  <MoveIcon fontSize="small" />
                </IconButton>
              </span>
            </Tooltip>
          </Box>
        ),
      });
    }
    return cols;
    // setAbsent only closes over stable values and `reload`.
  }, [t, canManage, nav, reload, absentNow]);

  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          {t('staff.title')}
        </Typography>
        <Button startIcon={<RefreshIcon />} onClick={() => void reload()} data-testid="staff-refresh">
          {t('common.refresh')}
        </Button>
      </Box>
      {!canManage ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          {t('staff.readOnly')}
        </Alert>
      ) : null}
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      <TeamBucketsPanel teams={teams} staff={staff} canManage={canManage} onChanged={() => void reload()} />
      <Box sx={{ height: 'calc(100vh - 330px)', minHeight: 300 }} data-testid="staff-grid">
        <AppGrid gridId="staff"
          rows={staff}
          columns={columns}
          getRowId={(r) => r.userId}
          loading={!loaded}
          disableRowSelectionOnClick
          density="compact"
          hideFooter={staff.length <= 100}
          initialState={{ pagination: { paginationModel: { pageSize: 100 } } }}
          pageSizeOptions={[100]}
          localeText={localeText}
          aria-label={t('staff.title')}
        />
      </Box>
      {editing ? <StaffDialog staff={editing} skillOptions={skillOptions} onClose={() => setEditing(null)} onSave={(v) => update(editing, v)} /> : null}
    </Box>
  );
}

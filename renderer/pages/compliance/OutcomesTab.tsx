// Outcome codes (结果代码): the ten built-in codes and the agency's own, each with its labels, the class
// the guardrails count it by, and how many contact-log entries used it. Managers add and change codes and
// switch them off; a built-in or used code is disabled, never deleted, so past entries stay readable.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { identCol } from '../../grid/columns.js';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { ConfirmDialog } from '../userDialogs.js';
import { reloadOutcomes, useOutcomes, type OutcomeView } from '../../outcomes.js';
import { OutcomeDialog } from './OutcomeDialog.js';
import type { MethodInput } from '../../../shared/contract/registry.js';

export function OutcomesTab({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const { all } = useOutcomes();
  const [dialog, setDialog] = useState<{ kind: 'edit'; outcome: OutcomeView | null } | { kind: 'delete'; outcome: OutcomeView } | null>(null);
  const localeText = useGridLocaleText(t('compliance.outcomes.empty'));

  const save = async (v: MethodInput<'outcomes.save'>): Promise<string | null> => {
    try {
      await reloadOutcomes(api, (await api.call('outcomes.save', v)).outcomes);
    } catch (e) {
      return describeError(t, e);
    }
    notify(t('compliance.outcomes.saved', { code: v.code }));
    return null;
  };
  const remove = async (o: OutcomeView): Promise<string | null> => {
    try {
      await reloadOutcomes(api, (await api.call('outcomes.delete', { code: o.code })).outcomes);
    } catch (e) {
      return describeError(t, e);
    }
    notify(t('compliance.outcomes.deleted', { code: o.code }));
    return null;
  };

  const columns: GridColDef<OutcomeView>[] = useMemo(
    () => [
      identCol({ field: 'code', headerName: t('compliance.outcomes.code'), width: 200, renderCell: (p) => <Box component="span" sx={{ fontFamily: 'monospace' }}>{p.row.code}</Box> }),
      { field: 'zh', headerName: t('compliance.outcomes.labelZh'), minWidth: 130, flex: 1, valueGetter: (_v, row) => row.labels['zh-CN'] },
      { field: 'en', headerName: t('compliance.outcomes.labelEn'), minWidth: 150, flex: 1, valueGetter: (_v, row) => row.labels.en },
      { field: 'class', headerName: t('compliance.outcomes.class'), width: 190, valueFormatter: (v: string) => t(`compliance.outcomes.classes.${v}`) },
      { field: 'builtIn', headerName: t('compliance.outcomes.origin'), width: 96, valueFormatter: (v: boolean) => (v ? t('compliance.outcomes.builtIn') : t('compliance.outcomes.own')) },
      { field: 'used', headerName: t('compliance.outcomes.used'), width: 90, type: 'number' },
      {
        field: 'active',
        headerName: t('compliance.outcomes.status'),
        width: 96,
        renderCell: (p) => (
          <Chip size="small" variant={p.row.active ? 'filled' : 'outlined'} color={p.row.active ? 'success' : 'default'} label={p.row.active ? t('compliance.outcomes.activeShort') : t('compliance.outcomes.disabledShort')} data-testid={`outcome-status-${p.row.code}`} />
        ),
      },
      ...(canManage
        ? [
            {
              field: 'actions',
              headerName: '',
              width: 96,
              sortable: false,
              renderCell: (p: { row: OutcomeView }) => (
                <Box>
                  <Tooltip title={t('compliance.outcomes.edit')}>
                    <IconButton size="small" onClick={() => setDialog({ kind: 'edit', outcome: p.row })} aria-label={t('compliance.outcomes.edit')} data-testid={`outcome-edit-${p.row.code}`}>
                      <EditIcon fontSize="small" />
                    </IconButton>
                  </Tooltip>
                  {!p.row.builtIn && p.row.used === 0 ? (
                    <Tooltip title={t('compliance.outcomes.delete')}>
                      <IconButton size="small" onClick={() => setDialog({ kind: 'delete', outcome: p.row })} aria-label={t('compliance.outcomes.delete')} data-testid={`outcome-delete-${p.row.code}`}>
                        <DeleteIcon fontSize="small" />
                      </IconButton>
                    </Tooltip>
                  ) : null}
                </Box>
              ),
            } satisfies GridColDef<OutcomeView>,
          ]
        : []),
    ],
    [t, canManage],
  );

  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2, mb: 2 }}>
        {canManage ? (
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setDialog({ kind: 'edit', outcome: null })} sx={{ flexShrink: 0 }} data-testid="outcome-add">
            {t('compliance.outcomes.add')}
          </Button>
        ) : null}
        <Typography variant="body2" sx={{ color: 'text.secondary', maxWidth: 820 }}>
          {t('compliance.outcomes.help')}
        </Typography>
      </Box>
      <Box sx={{ height: 'calc(100vh - 300px)', minHeight: 280 }} data-testid="outcomes-grid">
        <AppGrid gridId="compliance.outcomes" rows={all} loading={all.length === 0} getRowId={(o) => o.code} columns={columns} density="compact" disableRowSelectionOnClick disableColumnFilter hideFooter localeText={localeText} aria-label={t('compliance.tabs.outcomes')} />
      </Box>
      {dialog?.kind === 'edit' ? <OutcomeDialog outcome={dialog.outcome} onClose={() => setDialog(null)} onSave={save} /> : null}
      {dialog?.kind === 'delete' ? (
        <ConfirmDialog
          title={t('compliance.outcomes.deleteTitle', { code: dialog.outcome.code })}
          body={t('compliance.outcomes.deleteBody')}
          submitLabel={t('compliance.outcomes.delete')}
          onClose={() => setDialog(null)}
          onConfirm={() => remove(dialog.outcome)}
        />
      ) : null}
    </Box>
  );
}

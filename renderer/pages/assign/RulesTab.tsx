// Automatic rules: each runs on every new batch of its lender (or of any lender) over the batch's
// unassigned cases, right after the import. Enable/disable in the list, edit or delete.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Switch from '@mui/material/Switch';
import Tooltip from '@mui/material/Tooltip';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { identCol } from '../../grid/columns.js';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { formatDateTime } from '../../format.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { ConfirmDialog } from '../userDialogs.js';
import { RuleDialog } from './RuleDialog.js';
import { staffLabel, type RefData } from '../../assign.js';
import type { AssignRuleDef } from '../../../shared/contract/assignment.js';
import type { MethodInput } from '../../../shared/contract/registry.js';

export function RulesTab({ refData }: { refData: RefData }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [rules, setRules] = useState<AssignRuleDef[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<{ kind: 'edit'; rule: AssignRuleDef | null } | { kind: 'delete'; rule: AssignRuleDef } | null>(null);
  const localeText = useGridLocaleText(t('rules.empty'));

  const reload = useCallback(async () => {
    try {
      setRules((await api.call('assignRules.list', {})).rules);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const save = async (v: MethodInput<'assignRules.save'>): Promise<string | null> => {
    try {
      await api.call('assignRules.save', v);
    } catch (e) {
      return describeError(t, e);
    }
    notify(t('rules.saved', { name: v.name }));
    await reload();
    return null;
  };
  const toggle = async (r: AssignRuleDef, enabled: boolean) => {
    const { id, name, lenderId, bucket, rule, pool, keepBorrower } = r;
    const err = await save({ id, name, lenderId, bucket, rule, pool, keepBorrower, enabled });
    if (err) notify(err, 'error');
  };

  const lang = i18n.language;
  const columns: GridColDef<AssignRuleDef>[] = useMemo(() => {
    const teamName = (id: number) => refData.teams.find((tm) => tm.id === id)?.name ?? `#${id}`;
    const person = (id: number) => {
      const s = refData.staff.find((x) => x.userId === id);
      return s ? staffLabel(s) : `#${id}`;
    };
    return [
      {
        field: 'enabled',
        headerName: t('rules.col.enabled'),
        width: 76,
        renderCell: (p) => (
          <Switch size="small" checked={p.row.enabled} onChange={(e) => void toggle(p.row, e.target.checked)} slotProps={{ input: { 'aria-label': `${t('rules.enabled')} ${p.row.name}`, 'data-testid': `rule-enabled-${p.row.name}` } as object }} />
        ),
      },
      { field: 'name', headerName: t('rules.col.name'), minWidth: 150, flex: 1 },
      identCol({ field: 'lenderCode', headerName: t('rules.col.lender'), width: 90, valueFormatter: (v: string | null) => v ?? t('rules.anyLender') }),
      { field: 'bucket', headerName: t('rules.col.bucket'), width: 80, valueFormatter: (v: string | null) => v ?? t('rules.anyBucket') },
      { field: 'rule', headerName: t('rules.col.rule'), width: 110, valueFormatter: (v: string) => t(`assign.rules.${v}.name`) },
      {
        field: 'pool',
        headerName: t('rules.col.pool'),
        minWidth: 160,
        flex: 1,
        sortable: false,
        valueFormatter: (v: AssignRuleDef['pool']) =>
          [...v.teamIds.map(teamName), ...v.collectorIds.map(person), ...(v.skill ? [`${t('assign.poolSkill')}: ${v.skill}`] : [])].join('、') || t('rules.everyone'),
      },
      { field: 'keepBorrower', headerName: t('rules.col.keepBorrower'), width: 120, valueFormatter: (v: boolean) => (v ? t('rules.yes') : t('rules.no')) },
      { field: 'updatedAt', headerName: t('rules.col.updated'), width: 175, valueFormatter: (v: string) => formatDateTime(v, lang) },
      {
        field: 'actions',
        headerName: t('rules.col.actions'),
        width: 90,
        sortable: false,
        disableColumnMenu: true,
        renderCell: (p) => (
          <Box sx={{ display: 'flex', alignItems: 'center', height: '100%' }}>
            <Tooltip title={t('rules.edit')}>
              <IconButton size="small" onClick={() => setDialog({ kind: 'edit', rule: p.row })} aria-label={`${t('rules.edit')} ${p.row.name}`} data-testid={`rule-edit-${p.row.name}`}>
                <EditIcon fontSize="small" />
              </IconButton>
            </Tooltip>
            <Tooltip title={t('rules.delete')}>
              <IconButton size="small" onClick={() => setDialog({ kind: 'delete', rule: p.row })} aria-label={`${t('rules.delete')} ${p.row.name}`} data-testid={`rule-delete-${p.row.name}`}>
                <DeleteIcon fontSize="small" />
              </IconButton>
            </Tooltip>
          </Box>
        ),
      },
    ];
  }, [t, lang, refData.teams, refData.staff, reload]);

  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 2 }}>
        <Alert severity="info" sx={{ flexGrow: 1, py: 0 }} data-testid="rules-explain">
          {t('rules.explain')}
        </Alert>
        <Button variant="contained" startIcon={<AddIcon />} onClick={() => setDialog({ kind: 'edit', rule: null })} sx={{ flexShrink: 0 }} data-testid="rules-add">
          {t('rules.add')}
        </Button>
      </Box>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      <Box sx={{ height: 'calc(100vh - 300px)', minHeight: 280 }} data-testid="rules-grid">
        <AppGrid gridId="assign.rules" rows={rules ?? []} columns={columns} loading={rules === null} disableRowSelectionOnClick density="compact" hideFooter={(rules?.length ?? 0) <= 100} initialState={{ pagination: { paginationModel: { pageSize: 100 } } }} pageSizeOptions={[100]} localeText={localeText} aria-label={t('assign.tabs.rules')} />
      </Box>
      {dialog?.kind === 'edit' ? <RuleDialog rule={dialog.rule} refData={refData} onClose={() => setDialog(null)} onSave={save} /> : null}
      {dialog?.kind === 'delete' ? (
        <ConfirmDialog
          title={t('rules.deleteTitle', { name: dialog.rule.name })}
          body={t('rules.deleteBody')}
          submitLabel={t('rules.delete')}
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            try {
              await api.call('assignRules.delete', { id: dialog.rule.id });
            } catch (e) {
              return describeError(t, e);
            }
            notify(t('rules.deleted', { name: dialog.rule.name }));
            await reload();
            return null;
          }}
        />
      ) : null}
    </Box>
  );
}

// SMS and letter templates (短信 / 催收函): the list, and for lenders.manage add, edit and delete. The
// backend refuses a template that could print a full ID number or tell a third party about the debt.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../../grid/AppGrid.js';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { formatDateTime } from '../../format.js';
import { useGridLocaleText } from '../../gridLocale.js';
import { ConfirmDialog } from '../userDialogs.js';
import { TemplateDialog } from './TemplateDialog.js';
import type { MessageTemplate } from '../../../shared/contract/casework.js';
import type { MethodInput } from '../../../shared/contract/registry.js';

export function TemplatesTab({ canManage }: { canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [templates, setTemplates] = useState<MessageTemplate[] | null>(null);
  const [fields, setFields] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<{ kind: 'edit'; template: MessageTemplate | null } | { kind: 'delete'; template: MessageTemplate } | null>(null);
  const localeText = useGridLocaleText(t('compliance.templates.empty'));

  const reload = useCallback(async () => {
    try {
      const r = await api.call('messageTemplates.list', {});
      setTemplates(r.templates);
      setFields(r.fields);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const save = async (v: MethodInput<'messageTemplates.save'>): Promise<string | null> => {
    try {
      await api.call('messageTemplates.save', v);
    } catch (e) {
      return describeError(t, e);
    }
    notify(t('compliance.templates.saved', { name: v.name }));
    await reload();
    return null;
  };
  const remove = async (tp: MessageTemplate): Promise<string | null> => {
    try {
      await api.call('messageTemplates.delete', { id: tp.id });
    } catch (e) {
      return describeError(t, e);
    }
    notify(t('compliance.templates.deleted', { name: tp.name }));
    await reload();
    return null;
  };

  const columns: GridColDef<MessageTemplate>[] = useMemo(
    () => [
      { field: 'name', headerName: t('compliance.templates.name'), minWidth: 180, flex: 1 },
      { field: 'kind', headerName: t('compliance.templates.kind'), width: 100, valueFormatter: (v: string) => t(`compliance.templates.kinds.${v}`) },
      { field: 'audience', headerName: t('compliance.templates.audience'), width: 130, valueFormatter: (v: string) => t(`compliance.templates.audiences.${v}`) },
      { field: 'language', headerName: t('compliance.templates.language'), width: 100, valueFormatter: (v: string) => t(`lang.${v}`) },
      { field: 'body', headerName: t('compliance.templates.body'), minWidth: 240, flex: 2, sortable: false },
      { field: 'updatedAt', headerName: t('compliance.templates.updatedAt'), width: 170, valueFormatter: (v: string) => formatDateTime(v, i18n.language) },
      ...(canManage
        ? [
            {
              field: 'actions',
              headerName: '',
              width: 96,
              sortable: false,
              renderCell: (p: { row: MessageTemplate }) => (
                <Box>
                  <Tooltip title={t('compliance.templates.edit')}>
                    <IconButton size="small" onClick={() => setDialog({ kind: 'edit', template: p.row })} aria-label={t('compliance.templates.edit')} data-testid={`template-edit-${p.row.id}`}>
                      <EditIcon fontSize="small" />
                    </IconButton>
                  </Tooltip>
                  <Tooltip title={t('compliance.templates.delete')}>
                    <IconButton size="small" onClick={() => setDialog({ kind: 'delete', template: p.row })} aria-label={t('compliance.templates.delete')} data-testid={`template-delete-${p.row.id}`}>
                      <DeleteIcon fontSize="small" />
                    </IconButton>
                  </Tooltip>
                </Box>
              ),
            } satisfies GridColDef<MessageTemplate>,
          ]
        : []),
    ],
    [t, i18n.language, canManage],
  );

  return (
    <Box>
      {canManage ? (
        <Button variant="contained" startIcon={<AddIcon />} onClick={() => setDialog({ kind: 'edit', template: null })} sx={{ mb: 2 }} data-testid="template-add">
          {t('compliance.templates.add')}
        </Button>
      ) : null}
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      <Box sx={{ height: 'calc(100vh - 290px)', minHeight: 280 }} data-testid="templates-grid">
        <AppGrid gridId="compliance.templates" rows={templates ?? []} columns={columns} loading={templates === null && !error} density="compact" disableRowSelectionOnClick disableColumnFilter hideFooter localeText={localeText} aria-label={t('compliance.tabs.templates')} />
      </Box>
      {dialog?.kind === 'edit' ? <TemplateDialog template={dialog.template} fields={fields} onClose={() => setDialog(null)} onSave={save} /> : null}
      {dialog?.kind === 'delete' ? (
        <ConfirmDialog
          title={t('compliance.templates.deleteTitle', { name: dialog.template.name })}
          body={t('compliance.templates.deleteBody')}
          submitLabel={t('compliance.templates.delete')}
          onClose={() => setDialog(null)}
          onConfirm={() => remove(dialog.template)}
        />
      ) : null}
    </Box>
  );
}

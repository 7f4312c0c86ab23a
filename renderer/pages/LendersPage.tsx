// Lenders (委托方): everyone with lenders.read sees them; lenders.manage adds and edits.
import { useCallback, useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import EditIcon from '@mui/icons-material/Edit';
import PaymentsIcon from '@mui/icons-material/Payments';
import type { GridColDef } from '@mui/x-data-grid';
import { AppGrid } from '../grid/AppGrid.js';
import { identCol } from '../grid/columns.js';
import { useApi, useSession } from '../context.js';
import { useNotify } from '../components/Notifier.js';
import { describeError } from '../errors.js';
import { formatDate } from '../format.js';
import { useGridLocaleText } from '../gridLocale.js';
import { FormDialog, useSubmit } from './userDialogs.js';
import { MoneySettingsDialog } from './money/MoneySettingsDialog.js';
import { REJECT_POLICIES, type Lender } from '../../shared/contract/placements.js';
import { AMOUNT_MISMATCH_POLICIES } from '../../shared/domain/placement/amounts.js';

type Policy = Lender['rejectPolicy'];
type AmountPolicy = Lender['amountMismatchPolicy'];
const CODE_RE = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function LendersPage() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const { session } = useSession();
  const canManage = session.permissions.includes('lenders.manage');
  const [lenders, setLenders] = useState<Lender[] | null>(null);
  const [error, setError] = useState<{ cause: unknown } | null>(null);
  const [dialog, setDialog] = useState<{ lender: Lender | null } | null>(null);
  const [moneyOf, setMoneyOf] = useState<Lender | null>(null);
  const localeText = useGridLocaleText(t('lenders.empty'));

  const reload = useCallback(async () => {
    try {
      setLenders((await api.call('lenders.list', {})).lenders);
      setError(null);
    } catch (e) {
      setError({ cause: e });
    }
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const save = async (lender: Lender | null, v: LenderFormValues): Promise<string | null> => {
    try {
      const policies = { rejectPolicy: v.rejectPolicy, amountMismatchPolicy: v.amountMismatchPolicy };
      if (lender === null) {
        // Adding a lender goes on to its contract terms: until they are entered it accrues nothing.
        const created = await api.call('lenders.create', { code: v.code, name: v.name, contact: v.contact, ...policies });
        setMoneyOf(created);
      } else await api.call('lenders.update', { id: lender.id, name: v.name, contact: v.contact, ...policies });
    } catch (e) {
      return describeError(t, e);
    }
    notify(lender === null ? t('lenders.created', { code: v.code.trim().toUpperCase() }) : t('lenders.updated', { code: lender.code }));
    await reload();
    return null;
  };

  const lang = i18n.language;
  const columns: GridColDef<Lender>[] = useMemo(() => {
    const cols: GridColDef<Lender>[] = [
      identCol({ field: 'code', headerName: t('lenders.col.code'), width: 130 }),
      { field: 'name', headerName: t('lenders.col.name'), flex: 1, minWidth: 160 },
      // The contact holds a phone number: fitted like an identifier, never cut.
      identCol({ field: 'contact', headerName: t('lenders.col.contact'), flex: 1, minWidth: 160 }),
      { field: 'caseCount', headerName: t('lenders.col.cases'), type: 'number', width: 100 },
      {
        field: 'termsSet',
        headerName: t('money.terms.column'),
        width: 130,
        renderCell: (p) => (p.row.termsSet ? t('money.terms.set') : <Box component="span" sx={{ color: 'warning.main' }} data-testid={`lender-terms-not-set-${p.row.code}`}>{t('money.terms.notSet')}</Box>),
      },
      { field: 'rejectPolicy', headerName: t('lenders.col.policy'), width: 150, valueFormatter: (v: Policy) => t(`lenders.policyShort.${v}`) },
      { field: 'createdAt', headerName: t('lenders.col.created'), width: 120, valueFormatter: (v: string) => formatDate(v, lang) },
    ];
    if (canManage) {
      cols.push({
        field: 'actions',
        headerName: t('lenders.col.actions'),
        width: 100,
        sortable: false,
        filterable: false,
        disableColumnMenu: true,
        renderCell: (p) => (
          <>
            <Tooltip title={t('lenders.edit')}>
              <IconButton size="small" aria-label={`${t('lenders.edit')} ${p.row.code}`} data-testid={`lender-edit-${p.row.code}`} onClick={() => setDialog({ lender: p.row })}>
                <EditIcon fontSize="small" />
              </IconButton>
            </Tooltip>
            <Tooltip title={t('money.settings.button')}>
              <IconButton size="small" aria-label={`${t('money.settings.button')} ${p.row.code}`} data-testid={`lender-money-${p.row.code}`} onClick={() => setMoneyOf(p.row)}>
                <PaymentsIcon fontSize="small" />
              </IconButton>
            </Tooltip>
          </>
        ),
      });
    }
    return cols;
  }, [t, lang, canManage]);

  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', mb: 2, gap: 2 }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          {t('lenders.title')}
        </Typography>
        {canManage ? (
          <Button variant="contained" startIcon={<AddIcon />} onClick={() => setDialog({ lender: null })} data-testid="lenders-add">
            {t('lenders.add')}
          </Button>
        ) : null}
      </Box>
      {!canManage ? (
        <Alert severity="info" sx={{ mb: 2 }}>
          {t('lenders.readOnly')}
        </Alert>
      ) : null}
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error.cause)}
        </Alert>
      ) : null}
      <Box sx={{ height: 'calc(100vh - 220px)', minHeight: 320 }} data-testid="lenders-grid">
        <AppGrid gridId="lenders"
          rows={lenders ?? []}
          columns={columns}
          loading={lenders === null}
          disableRowSelectionOnClick
          density="compact"
          pageSizeOptions={[25, 50, 100]}
          initialState={{ pagination: { paginationModel: { pageSize: 100 } }, sorting: { sortModel: [{ field: 'code', sort: 'asc' }] } }}
          localeText={localeText}
          aria-label={t('lenders.title')}
        />
      </Box>
      {moneyOf ? <MoneySettingsDialog lender={moneyOf} onClose={() => (setMoneyOf(null), void reload())} /> : null}
      {dialog ? <LenderDialog lender={dialog.lender} onClose={() => setDialog(null)} onSave={(v) => save(dialog.lender, v)} /> : null}
    </Box>
  );
}

interface LenderFormValues {
  code: string;
  name: string;
  contact: string;
  rejectPolicy: Policy;
  amountMismatchPolicy: AmountPolicy;
}

function LenderDialog({ lender, onClose, onSave }: { lender: Lender | null; onClose: () => void; onSave: (v: LenderFormValues) => Promise<string | null> }) {
  const { t } = useTranslation();
  const creating = lender === null;
  const [code, setCode] = useState(lender?.code ?? '');
  const [name, setName] = useState(lender?.name ?? '');
  const [contact, setContact] = useState(lender?.contact ?? '');
  const [rejectPolicy, setPolicy] = useState<Policy>(lender?.rejectPolicy ?? 'skip_rows');
  const [amountMismatchPolicy, setAmountPolicy] = useState<AmountPolicy>(lender?.amountMismatchPolicy ?? 'principal_difference');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useSubmit(() => onSave({ code, name, contact, rejectPolicy, amountMismatchPolicy }), onClose);

  const errors = {
    code: creating ? (code.trim() === '' ? t('validation.required') : CODE_RE.test(code.trim().toUpperCase()) ? undefined : t('lenders.codeInvalid')) : undefined,
    name: name.trim() === '' ? t('validation.required') : name.trim().length > 120 ? t('validation.tooLong', { max: 120 }) : undefined,
    contact: contact.trim().length > 200 ? t('validation.tooLong', { max: 200 }) : undefined,
  };
  const show = (k: keyof typeof errors) => (touched ? errors[k] : undefined);

  return (
    <FormDialog
      open
      title={creating ? t('lenders.addTitle') : t('lenders.editTitle', { code: lender.code })}
      testId="lender-dialog"
      submitLabel={creating ? t('common.create') : t('common.save')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!Object.values(errors).some(Boolean)) void run();
      }}
    >
      <TextField
        label={t('lenders.code')}
        value={code}
        onChange={(e) => setCode(e.target.value.toUpperCase())}
        disabled={!creating || busy}
        required={creating}
        autoFocus={creating}
        error={Boolean(show('code'))}
        helperText={show('code') ?? (creating ? t('lenders.codeHelp') : ' ')}
        slotProps={{ htmlInput: { 'data-testid': 'lender-code', maxLength: 32, autoCapitalize: 'characters' } }}
      />
      <TextField
        label={t('lenders.name')}
        value={name}
        onChange={(e) => setName(e.target.value)}
        disabled={busy}
        required
        autoFocus={!creating}
        error={Boolean(show('name'))}
        helperText={show('name') ?? ' '}
        slotProps={{ htmlInput: { 'data-testid': 'lender-name', maxLength: 120 } }}
      />
      <TextField
        label={t('lenders.contact')}
        value={contact}
        onChange={(e) => setContact(e.target.value)}
        disabled={busy}
        error={Boolean(show('contact'))}
        helperText={show('contact') ?? ' '}
        slotProps={{ htmlInput: { 'data-testid': 'lender-contact', maxLength: 200 } }}
      />
      <TextField
        select
        label={t('lenders.policy')}
        value={rejectPolicy}
        onChange={(e) => setPolicy(e.target.value as Policy)}
        disabled={busy}
        slotProps={{ select: { SelectDisplayProps: displayProps('lender-policy') } }}
      >
        {REJECT_POLICIES.map((p) => (
          <MenuItem key={p} value={p} data-testid={`lender-policy-${p}`}>
            {t(`lenders.policies.${p}`)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label={t('lenders.amountPolicy')}
        value={amountMismatchPolicy}
        onChange={(e) => setAmountPolicy(e.target.value as AmountPolicy)}
        disabled={busy}
        slotProps={{ select: { SelectDisplayProps: displayProps('lender-amount-policy') } }}
      >
        {AMOUNT_MISMATCH_POLICIES.map((p) => (
          <MenuItem key={p} value={p} data-testid={`lender-amount-policy-${p}`}>
            {t(`lenders.amountPolicies.${p}`)}
          </MenuItem>
        ))}
      </TextField>
    </FormDialog>
  );
}

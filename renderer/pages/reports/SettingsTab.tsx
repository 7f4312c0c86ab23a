// A lender's report settings: header language, personal data masked or full (full needs the contract
// clause, recorded in the audit), the lender's time zone and CSV encoding, and the status report's column
// template (which, in what order, headers).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { LenderPicker } from '../../components/LenderPicker.js';
import { COLUMNS } from '../../../shared/domain/reports/columns.js';
import type { Lender } from '../../../shared/contract/placements.js';

/** The zones this runtime knows (the backend checks the same way). */
const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['Asia/Shanghai', 'UTC'];

interface Col {
  key: string;
  on: boolean;
  header: string;
}

/** Every status column: the template's chosen ones first in its order, then the rest unticked. */
function columnsOf(template: { key: string; header: string }[] | undefined): Col[] {
  const chosen = template ?? [];
  const rest = COLUMNS.status.filter((d) => !chosen.some((c) => c.key === d.key));
  return [...chosen.map((c) => ({ key: c.key, on: true, header: c.header })), ...rest.map((d) => ({ key: d.key, on: false, header: '' }))];
}

export function SettingsTab({ lenders }: { lenders: Lender[] }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  const [lenderId, setLenderId] = useState<number | ''>('');
  const [language, setLanguage] = useState<'zh' | 'en'>('zh');
  const [piiFull, setPiiFull] = useState(false);
  const [timeZone, setTimeZone] = useState('Asia/Shanghai');
  const [csvEncoding, setCsvEncoding] = useState<'utf8-bom' | 'gb18030'>('utf8-bom');
  const [wasFull, setWasFull] = useState(false);
  const [reason, setReason] = useState('');
  const [cols, setCols] = useState<Col[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (lenderId === '') return;
    void api
      .call('reports.settings', { lenderId })
      .then((s) => {
        setLanguage(s.language);
        setPiiFull(s.piiFull);
        setWasFull(s.piiFull);
        setTimeZone(s.timeZone);
        setCsvEncoding(s.csvEncoding);
        setReason('');
        setCols(columnsOf(s.template.status));
        setError(null);
      })
      .catch((e: unknown) => setError(describeError(t, e)));
  }, [api, lenderId, t]);

  const def = (key: string) => COLUMNS.status.find((d) => d.key === key)!;
  const move = (i: number, by: number) => {
    const next = [...cols];
    const [c] = next.splice(i, 1);
    next.splice(i + by, 0, c!);
    setCols(next);
  };
  const set = (i: number, patch: Partial<Col>) => setCols(cols.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  const needReason = piiFull && !wasFull;

  const save = async () => {
    if (lenderId === '') return;
    try {
      const template = { status: cols.filter((c) => c.on).map((c) => ({ key: c.key, header: c.header.trim() })) };
      const s = await api.call('reports.setSettings', { lenderId, language, piiFull, template, timeZone, csvEncoding, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      setWasFull(s.piiFull);
      setReason('');
      setError(null);
      notify(t('reports.settings.saved'));
    } catch (e) {
      setError(describeError(t, e));
    }
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, maxWidth: 900 }}>
      <LenderPicker lenders={lenders} value={lenderId} onChange={setLenderId} testId="settings-lender" />
      {error ? <Alert severity="error" data-testid="settings-error">{error}</Alert> : null}
      {lenderId === '' ? null : (
        <>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 3, alignItems: 'center' }}>
            <Box>
              <Typography variant="subtitle2">{t('reports.settings.language')}</Typography>
              <ToggleButtonGroup size="small" exclusive value={language} onChange={(_e, v: 'zh' | 'en' | null) => v && setLanguage(v)}>
                <ToggleButton value="zh" data-testid="settings-lang-zh">{t('reports.settings.zh')}</ToggleButton>
                <ToggleButton value="en" data-testid="settings-lang-en">{t('reports.settings.en')}</ToggleButton>
              </ToggleButtonGroup>
            </Box>
            <Box>
              <Typography variant="subtitle2">{t('reports.settings.pii')}</Typography>
              <ToggleButtonGroup size="small" exclusive value={piiFull ? 'full' : 'masked'} onChange={(_e, v: 'full' | 'masked' | null) => v && setPiiFull(v === 'full')}>
                <ToggleButton value="masked" data-testid="settings-pii-masked">{t('reports.settings.masked')}</ToggleButton>
                <ToggleButton value="full" data-testid="settings-pii-full">{t('reports.settings.full')}</ToggleButton>
              </ToggleButtonGroup>
            </Box>
            <Box>
              <Typography variant="subtitle2">{t('reports.settings.encoding')}</Typography>
              <ToggleButtonGroup size="small" exclusive value={csvEncoding} onChange={(_e, v: 'utf8-bom' | 'gb18030' | null) => v && setCsvEncoding(v)}>
                <ToggleButton value="utf8-bom" data-testid="settings-enc-utf8">{t('reports.settings.utf8')}</ToggleButton>
                <ToggleButton value="gb18030" data-testid="settings-enc-gb18030">{t('reports.settings.gb18030')}</ToggleButton>
              </ToggleButtonGroup>
            </Box>
            <Autocomplete
              size="small"
              sx={{ width: 280 }}
              options={ZONES}
              value={timeZone}
              disableClearable
              onChange={(_e, v) => setTimeZone(v)}
              renderInput={(params) => <TextField {...params} label={t('reports.settings.timeZone')} helperText={t('reports.settings.timeZoneHelp')} slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'settings-timezone' } }} />}
            />
          </Box>
          {needReason ? (
            <TextField label={t('reports.settings.reason')} helperText={t('reports.settings.reasonNeeded')} value={reason} onChange={(e) => setReason(e.target.value)} required slotProps={{ htmlInput: { 'data-testid': 'settings-pii-reason' } }} />
          ) : null}
          <Paper variant="outlined" sx={{ p: 2 }}>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
              <Typography variant="h6" sx={{ flexGrow: 1 }}>{t('reports.settings.template')}</Typography>
              <Button size="small" onClick={() => setCols(columnsOf(undefined))}>{t('reports.settings.reset')}</Button>
            </Box>
            <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>{t('reports.settings.templateHelp')}</Typography>
            <Table size="small" data-testid="settings-columns">
              <TableHead>
                <TableRow>
                  <TableCell padding="checkbox" />
                  <TableCell>{t('reports.settings.column')}</TableCell>
                  <TableCell>{t('reports.settings.header')}</TableCell>
                  <TableCell />
                </TableRow>
              </TableHead>
              <TableBody>
                {cols.map((c, i) => (
                  <TableRow key={c.key} data-testid={`settings-col-${c.key}`}>
                    <TableCell padding="checkbox">
                      <Checkbox checked={c.on} onChange={(e) => set(i, { on: e.target.checked })} />
                    </TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>{def(c.key)[language]}</TableCell>
                    <TableCell>
                      <TextField size="small" variant="standard" fullWidth disabled={!c.on} value={c.header} placeholder={def(c.key)[language]} onChange={(e) => set(i, { header: e.target.value })} slotProps={{ htmlInput: { maxLength: 60, 'aria-label': t('reports.settings.header') } }} />
                    </TableCell>
                    <TableCell sx={{ whiteSpace: 'nowrap' }}>
                      <IconButton size="small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('reports.settings.up')}><ArrowUpwardIcon fontSize="small" /></IconButton>
                      <IconButton size="small" disabled={i === cols.length - 1} onClick={() => move(i, 1)} aria-label={t('reports.settings.down')}><ArrowDownwardIcon fontSize="small" /></IconButton>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Paper>
          <Box>
            <Button variant="contained" onClick={() => void save()} disabled={needReason && reason.trim().length < 2} data-testid="settings-save">
              {t('reports.settings.save')}
            </Button>
          </Box>
        </>
      )}
    </Box>
  );
}

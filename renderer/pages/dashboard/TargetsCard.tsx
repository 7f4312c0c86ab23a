// Monthly recovery targets on the dashboard (targets.list): the agency, each team and collector with what
// they recovered this month (the dashboard's definition, computed in core/services/home.ts) and how far
// that is; managers set or remove a target here (targets.set).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useApi, useSession } from '../../context.js';
import { describeError } from '../../errors.js';
import { parseYuan, yuan } from '../../money.js';
import { Card, NumberTable, pctText } from './parts.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';
import type { TargetView } from '../../../shared/contract/home.js';

type Targets = MethodOutput<'targets.list'>;
interface Subject {
  key: string;
  label: string;
  collectorId?: number;
  teamId?: number;
}

export function TargetsCard({ month }: { month: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const canSet = session.permissions.includes('assign.manage');
  const [data, setData] = useState<Targets | null>(null);
  const [subjects, setSubjects] = useState<Subject[]>([]);
  const [subject, setSubject] = useState('agency');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setData(await api.call('targets.list', { month }));
    } catch (e) {
      setError(e);
    }
  }, [api, month]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (!canSet) return;
    void Promise.all([api.call('teams.list', {}), api.call('users.list', { includeDisabled: false })]).then(([tm, us]) =>
      setSubjects([
        { key: 'agency', label: t('targets.agency') },
        ...tm.teams.map((x) => ({ key: `team-${x.id}`, label: t('targets.team', { name: x.name }), teamId: x.id })),
        ...us.users.filter((u) => u.role === 'collector').map((u) => ({ key: `user-${u.id}`, label: u.teamName ? `${u.displayName} · ${u.teamName}` : u.displayName, collectorId: u.id })),
      ]),
    );
  }, [api, canSet, t]);

  const save = async () => {
    const fen = amount.trim() === '' ? null : parseYuan(amount);
    if (amount.trim() !== '' && fen === null) return setNote(t('targets.badAmount'));
    const s = subjects.find((x) => x.key === subject);
    try {
      await api.call('targets.set', { month, amountFen: fen, ...(s?.collectorId ? { collectorId: s.collectorId } : {}), ...(s?.teamId ? { teamId: s.teamId } : {}) });
      setNote(t('targets.saved'));
      setAmount('');
      setError(null);
      await load();
    } catch (e) {
      setError(e);
    }
  };

  const name = (r: TargetView) => (r.collectorName ?? (r.teamName ? t('targets.team', { name: r.teamName }) : t('targets.agency')));
  return (
    <Card title={t('targets.title', { month })} testId="dash-targets">
      {error ? <Alert severity="error">{describeError(t, error)}</Alert> : null}
      {data ? (
        <Typography sx={{ mb: 1 }} data-testid="dash-targets-agency">
          {data.agencyTargetFen === null
            ? t('targets.agencyNoTarget', { recovered: yuan(data.recoveredFen) })
            : t('targets.agencyLine', { recovered: yuan(data.recoveredFen), target: yuan(data.agencyTargetFen), pct: pctText(data.agencyPct).replace('%', '') })}
        </Typography>
      ) : null}
      {data ? (
        <NumberTable
          rows={data.targets}
          rowKey={(r) => `${r.collectorId ?? 0}-${r.teamId ?? 0}`}
          testId="dash-targets-table"
          empty={t('targets.none')}
          columns={[
            { label: t('targets.subject'), value: name },
            { label: t('targets.amount'), value: (r) => yuan(r.amountFen), numeric: true },
            { label: t('targets.recovered'), value: (r) => yuan(r.recoveredFen), numeric: true },
            {
              label: t('targets.progress'),
              value: (r) => (
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 140 }}>
                  <LinearProgress variant="determinate" value={Math.min(100, Math.max(0, r.pct ?? 0))} sx={{ flex: 1, height: 6, borderRadius: 3 }} />
                  <span>{pctText(r.pct)}</span>
                </Box>
              ),
            },
            { label: t('targets.setBy'), value: (r) => r.setBy },
          ]}
        />
      ) : null}
      {canSet ? (
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mt: 1.5, flexWrap: 'wrap' }}>
          <TextField select size="small" label={t('targets.subject')} value={subjects.length ? subject : ''} onChange={(e) => setSubject(e.target.value)} sx={{ minWidth: 200 }} slotProps={{ htmlInput: { 'data-testid': 'target-subject' } }}>
            {subjects.map((s) => (
              <MenuItem key={s.key} value={s.key}>
                {s.label}
              </MenuItem>
            ))}
          </TextField>
          <TextField size="small" label={t('targets.amount')} value={amount} onChange={(e) => setAmount(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'target-amount', inputMode: 'decimal' } }} />
          <Button variant="outlined" onClick={() => void save()} data-testid="target-save">
            {t('targets.save')}
          </Button>
          {note ? <Typography variant="body2" sx={{ color: 'text.secondary' }}>{note}</Typography> : null}
        </Box>
      ) : null}
    </Card>
  );
}

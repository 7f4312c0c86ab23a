// Which buckets (C, M1 … M3+) each team owns: the by-bucket rule sends a case to the team owning its bucket.
// A chip toggles ownership at once for managers; others only read.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { useNotify } from '../../components/Notifier.js';
import { describeError } from '../../errors.js';
import { BUCKETS } from '../CaseFilters.js';
import type { Staff } from '../../assign.js';
import type { Team } from '../../../shared/contract/models.js';

export function TeamBucketsPanel({ teams, staff, canManage, onChanged }: { teams: Team[]; staff: Staff[]; canManage: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const notify = useNotify();
  // teams.list has no buckets: they come with the team's collectors, and from our own changes.
  const [changed, setChanged] = useState<Record<number, string[]>>({});
  const [busy, setBusy] = useState<number | null>(null);
  const bucketsOf = (teamId: number) => changed[teamId] ?? staff.find((s) => s.teamId === teamId)?.teamBuckets ?? [];

  const toggle = async (team: Team, bucket: string) => {
    const have = bucketsOf(team.id);
    const next = have.includes(bucket) ? have.filter((b) => b !== bucket) : BUCKETS.filter((b) => b === bucket || have.includes(b));
    setBusy(team.id);
    try {
      const r = await api.call('teams.setBuckets', { teamId: team.id, buckets: next });
      setChanged((c) => ({ ...c, [team.id]: r.buckets }));
      notify(t('staff.bucketsSaved', { team: team.name }));
      onChanged(); // the collectors' rows show their team's buckets
    } catch (e) {
      notify(describeError(t, e), 'error');
    } finally {
      setBusy(null);
    }
  };

  return (
    <Paper variant="outlined" sx={{ p: 1.5, mb: 2 }} data-testid="team-buckets">
      <Typography variant="subtitle2" component="h2">
        {t('staff.teamBuckets')}
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
        {t('staff.teamBucketsHelp')}
      </Typography>
      {teams.length === 0 ? <Typography variant="body2">{t('teams.empty')}</Typography> : null}
      <Box sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 3, rowGap: 1 }}>
        {teams.map((team) => (
          <Box key={team.id} sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }} data-testid={`team-buckets-${team.name}`}>
            <Typography variant="body2" sx={{ fontWeight: 600, mr: 0.5, whiteSpace: 'nowrap' }}>
              {team.name}
            </Typography>
            {BUCKETS.map((b) => {
              const owned = bucketsOf(team.id).includes(b);
              return (
                <Chip
                  key={b}
                  size="small"
                  label={b}
                  color={owned ? 'primary' : 'default'}
                  variant={owned ? 'filled' : 'outlined'}
                  disabled={busy === team.id}
                  onClick={canManage ? () => void toggle(team, b) : undefined}
                  aria-pressed={owned}
                  aria-label={t('staff.bucketToggle', { team: team.name, bucket: b })}
                  data-testid={`team-bucket-${team.name}-${b}`}
                />
              );
            })}
          </Box>
        ))}
      </Box>
    </Paper>
  );
}

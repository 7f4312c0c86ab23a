// A running import (progress, phase, rows, cancel) and how it ended (counts and where to go next).
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { formatBytes } from '../../placement.js';
import { useNav } from '../../shell/navigation.js';
import { keyedMessage } from '../../errors.js';
import type { ImportJob } from '../../../shared/contract/placements.js';

export function RunPanel({ job, cancelling, onCancel, onAnother }: { job: ImportJob; cancelling: boolean; onCancel: () => void; onAnother: () => void }) {
  const { t } = useTranslation();
  const nav = useNav();

  if (job.state === 'running') {
    // Reading is measured in bytes; indexing and saving have no measure, so the bar just moves.
    const reading = job.phase === 'reading';
    const pct = job.totalBytes > 0 ? Math.min(100, (100 * job.bytesRead) / job.totalBytes) : 0;
    return (
      <Paper variant="outlined" sx={{ p: 2 }} data-testid="import-progress" data-phase={job.phase}>
        <Typography sx={{ mb: 1 }}>
          {t('import.running')} {t(`import.phase.${job.phase}`, { defaultValue: job.phase })}
        </Typography>
        <LinearProgress variant={reading ? 'determinate' : 'indeterminate'} value={pct} aria-label={t('import.running')} />
        <Typography variant="body2" sx={{ color: 'text.secondary', mt: 1, minHeight: '1.5em' }} data-testid="import-progress-text">
          {/* Nothing to say until the first status arrives. */}
          {job.totalBytes > 0 ? t('import.progress', { rows: job.rowsRead.toLocaleString(), read: formatBytes(job.bytesRead), total: formatBytes(job.totalBytes) }) : ''}
        </Typography>
        <Button color="error" onClick={onCancel} disabled={cancelling} sx={{ mt: 1 }} data-testid="import-cancel">
          {t('import.cancel')}
        </Button>
      </Paper>
    );
  }

  const another = (
    <Button onClick={onAnother} data-testid="import-another">
      {t('import.another')}
    </Button>
  );

  if (job.state === 'done' && job.result) {
    const r = job.result;
    const batch = r.batch;
    return (
      <Box data-testid="import-result" data-state="done">
        {batch ? (
          <Alert severity="success" sx={{ mb: 2 }} data-testid="import-done">
            {t('import.done', { batchNo: batch.batchNo })}
          </Alert>
        ) : (
          <Alert severity="warning" sx={{ mb: 2 }} data-testid="import-nothing">
            {t('import.nothingImported')}
          </Alert>
        )}
        <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', mb: 2 }}>
          {(['imported', 'updated', 'rejected'] as const).map((k) => (
            <Paper key={k} variant="outlined" sx={{ px: 2, py: 1, minWidth: 120 }}>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                {t(`import.result.${k}`)}
              </Typography>
              <Typography variant="h6" data-testid={`import-result-${k}`} sx={{ color: k === 'rejected' && r.rejected ? 'error.main' : undefined }}>
                {r[k].toLocaleString()}
              </Typography>
            </Paper>
          ))}
        </Box>
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          {batch ? (
            <Button variant="contained" onClick={() => nav.navigate('cases', { batchId: batch.id, lenderId: batch.lenderId })} data-testid="import-view-cases">
              {t('import.viewCases')}
            </Button>
          ) : null}
          <Button variant="outlined" onClick={() => nav.navigate('batches', batch ? { lenderId: batch.lenderId } : {})} data-testid="import-view-batches">
            {t('import.viewBatches')}
          </Button>
          {another}
        </Box>
      </Box>
    );
  }

  // Failed or cancelled: the worker's transaction rolled back, so nothing of this file is in the store.
  return (
    <Box data-testid="import-result" data-state={job.state}>
      <Alert severity={job.state === 'cancelled' ? 'info' : 'error'} sx={{ mb: 2 }} data-testid="import-failed">
        {job.state === 'cancelled' ? t('import.cancelled') : t('import.failed', { message: (job.error && keyedMessage(t, job.error)) ?? job.error?.message ?? '' })}
      </Alert>
      {another}
    </Box>
  );
}

// The rows a batch import rejected, with reasons; the download carries the original values too, so the
// lender can correct them and send them again. Opening it is audited (the raw rows hold personal data).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import DownloadIcon from '@mui/icons-material/Download';
import { useApi } from '../context.js';
import { describeError } from '../errors.js';
import { downloadCsv, rejectionsCsv } from '../placement.js';
import { rejectionReason } from '../rejectionReasons.js';
import { RejectionsGrid } from './import/ProblemsStep.js';
import type { MethodOutput } from '../../shared/contract/registry.js';
import type { Batch } from '../../shared/contract/placements.js';

type Rejections = MethodOutput<'batches.rejections'>;

export function RejectionsDialog({ batch, onClose }: { batch: Batch; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [data, setData] = useState<Rejections | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.call('batches.rejections', { batchId: batch.id }).then(setData, setError);
  }, [api, batch.id]);

  const download = () => {
    if (!data) return;
    const head = [t('batches.rowHeader'), t('batches.columnHeader'), t('batches.reasonHeader'), ...data.headers];
    downloadCsv(`${batch.batchNo}-${t('import.rejectedSuffix')}.csv`, rejectionsCsv(head, data.rows, (r) => rejectionReason(t, r)));
  };

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="md" slotProps={{ paper: { 'data-testid': 'batch-rejections-dialog' } as object }}>
      <DialogTitle>{t('batches.rejectionsTitle', { batchNo: batch.batchNo })}</DialogTitle>
      <DialogContent>
        {error ? (
          <Alert severity="error">{describeError(t, error)}</Alert>
        ) : (
          <>
            <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }} data-testid="batch-rejections-count">
              {data ? t('batches.rejectionsCount', { count: data.rows.length }) : t('common.loading')}
            </Typography>
            <RejectionsGrid rows={data?.rows ?? []} testId="batch-rejections-grid" height={400} />
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button startIcon={<DownloadIcon />} onClick={download} disabled={!data || data.rows.length === 0} data-testid="batch-rejections-download">
          {t('import.download')}
        </Button>
        <Button onClick={onClose} data-testid="batch-rejections-close">
          {t('common.close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

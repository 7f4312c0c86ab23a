// Step 4: batch details, optionally saving the mapping as the lender's template, then the import itself.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import { describeError } from '../../errors.js';
import { todayIso } from '../../placement.js';
import { RunPanel } from './RunPanel.js';
import { useImportJob } from './useImportJob.js';
import type { MethodInput } from '../../../shared/contract/registry.js';
import type { ImportPreview, Lender } from '../../../shared/contract/placements.js';

type Base = Pick<MethodInput<'import.start'>, 'lenderId' | 'file' | 'sheet' | 'mapping'>;
export type RunState = 'idle' | 'running' | 'finished';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function ConfirmStep({
  lender,
  preview,
  base,
  onRunState,
  onAnother,
}: {
  lender: Lender;
  preview: ImportPreview;
  base: Base;
  onRunState: (s: RunState) => void;
  onAnother: () => void;
}) {
  const { t } = useTranslation();
  const { job, callError, starting, cancelling, start, cancel } = useImportJob();
  const [batchNo, setBatchNo] = useState('');
  // The file's own 委案日期 / 委案到期日 (its most common one) are the batch's unless the user says otherwise.
  const fileDate = preview.fileDates.placement;
  const fileEnd = preview.fileDates.termEnd;
  const [placementDate, setPlacementDate] = useState(fileDate?.common ?? todayIso());
  const [termEndDate, setTermEndDate] = useState(fileEnd?.common ?? '');
  // The first file of a lender is worth remembering: its next file then maps itself.
  const [saveTemplate, setSaveTemplate] = useState(preview.templateUsed === null);
  const [templateName, setTemplateName] = useState(preview.templateUsed ?? lender.code);

  const runState: RunState = job === null ? 'idle' : job.state === 'running' ? 'running' : job.state === 'done' ? 'finished' : 'idle';
  useEffect(() => onRunState(runState), [runState, onRunState]);

  const errors = {
    placementDate: DATE_RE.test(placementDate) ? undefined : t('validation.required'),
    termEndDate: termEndDate !== '' && !DATE_RE.test(termEndDate) ? t('import.dateInvalid') : termEndDate !== '' && termEndDate < placementDate ? t('import.termBeforePlacement') : undefined,
    templateName: saveTemplate && templateName.trim() === '' ? t('validation.required') : undefined,
  };
  const invalid = Object.values(errors).some(Boolean);
  const locked = starting || runState !== 'idle';

  const onStart = () =>
    void start({
      ...base,
      ...(batchNo.trim() ? { batchNo: batchNo.trim() } : {}),
      placementDate,
      ...(termEndDate ? { termEndDate } : {}),
      ...(saveTemplate ? { saveTemplateAs: templateName.trim() } : {}),
    });

  const finished = runState === 'finished';
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, maxWidth: 720 }}>
      {/* Once imported, only the result matters: the form goes away. */}
      {finished ? null : (
        <>
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 2 }}>
            <TextField
              label={t('import.batchNo')}
              value={batchNo}
              onChange={(e) => setBatchNo(e.target.value)}
              disabled={locked}
              helperText={t('import.batchNoHelp')}
              sx={{ gridColumn: { sm: '1 / span 2' } }}
              slotProps={{ htmlInput: { maxLength: 60, 'data-testid': 'import-batch-no' } }}
            />
            <TextField
              type="date"
              label={t('import.placementDate')}
              value={placementDate}
              onChange={(e) => setPlacementDate(e.target.value)}
              disabled={locked}
              required
              error={Boolean(errors.placementDate)}
              helperText={errors.placementDate ?? ' '}
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'import-placement-date' } }}
            />
            <TextField
              type="date"
              label={t('import.termEndDate')}
              value={termEndDate}
              onChange={(e) => setTermEndDate(e.target.value)}
              disabled={locked}
              error={Boolean(errors.termEndDate)}
              helperText={errors.termEndDate ?? ' '}
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'import-term-end' } }}
            />
          </Box>
          {fileDate ? (
            <Alert severity={fileDate.common !== placementDate ? 'warning' : 'info'} data-testid={fileDate.common !== placementDate ? 'import-date-differs' : 'import-file-date'}>
              {fileDate.common !== placementDate
                ? t('import.dateDiffers', { date: fileDate.common, chosen: placementDate })
                : fileDate.distinct > 1
                  ? t('import.fileDates', { first: fileDate.first, last: fileDate.last, date: fileDate.common })
                  : t('import.fileDate', { date: fileDate.common })}
            </Alert>
          ) : null}
          {fileEnd ? (
            <Alert severity={fileEnd.common !== termEndDate ? 'warning' : 'info'} data-testid={fileEnd.common !== termEndDate ? 'import-term-end-differs' : 'import-file-term-end'}>
              {fileEnd.common !== termEndDate ? t('import.termEndDiffers', { date: fileEnd.common, chosen: termEndDate || '—' }) : t('import.fileTermEnd', { date: fileEnd.common })}
            </Alert>
          ) : null}
          <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
            <FormControlLabel
              control={<Checkbox checked={saveTemplate} onChange={(e) => setSaveTemplate(e.target.checked)} disabled={locked} slotProps={{ input: { 'data-testid': 'import-save-template' } as object }} />}
              label={t('import.saveTemplate', { lender: lender.code })}
            />
            {saveTemplate ? (
              <TextField
                size="small"
                label={t('import.templateName')}
                value={templateName}
                onChange={(e) => setTemplateName(e.target.value)}
                disabled={locked}
                error={Boolean(errors.templateName)}
                helperText={errors.templateName}
                slotProps={{ htmlInput: { maxLength: 60, 'data-testid': 'import-template-name' } }}
              />
            ) : null}
          </Box>
          <Typography data-testid="import-summary">
            {t('import.summary', { valid: preview.validRows.toLocaleString(), lender: lender.code, existing: preview.existingCases.toLocaleString(), rejected: preview.rejectedRows.toLocaleString() })}
          </Typography>
        </>
      )}
      {callError ? (
        <Alert severity="error" data-testid="import-start-error">
          {describeError(t, callError)}
        </Alert>
      ) : null}
      {job === null || job.state === 'failed' || job.state === 'cancelled' ? (
        <Box>
          <Button variant="contained" size="large" startIcon={<PlayArrowIcon />} onClick={onStart} disabled={starting || invalid} data-testid="import-start">
            {t('import.start')}
          </Button>
        </Box>
      ) : null}
      {job ? <RunPanel job={job} cancelling={cancelling} onCancel={() => void cancel()} onAnother={onAnother} /> : null}
    </Box>
  );
}

// The placement import wizard (委案导入): file → mapping & preview → problems → import. The backend does
// all reading and checking (import.preview); this page keeps the choices and shows what it found.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Paper from '@mui/material/Paper';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { useNav } from '../../shell/navigation.js';
import { FileStep } from './FileStep.js';
import { MappingStep, missingFields, type MovedColumn } from './MappingStep.js';
import { ProblemsStep, cannotImport } from './ProblemsStep.js';
import { ConfirmStep, type RunState } from './ConfirmStep.js';
import type { Columns } from './MappingTable.js';
import type { FileRef, ImportPreview, Lender } from '../../../shared/contract/placements.js';

const STEPS = ['file', 'mapping', 'problems', 'confirm'] as const;

/** "Import another file" starts a fresh wizard. */
export function ImportPage() {
  const [round, setRound] = useState(0);
  return <ImportWizard key={round} onAnother={() => setRound((r) => r + 1)} />;
}

/** The edited mapping as the API takes it: field → header text (blank headers cannot be named). */
function toMapping(headers: readonly string[], columns: Columns): Record<string, string> {
  const m: Record<string, string> = {};
  for (const [k, c] of Object.entries(columns)) if (c !== null && headers[c]?.trim()) m[k] = headers[c]!;
  return m;
}

function ImportWizard({ onAnother }: { onAnother: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const nav = useNav();
  const [lenders, setLenders] = useState<Lender[] | null>(null);
  const [lenderId, setLenderId] = useState<number | ''>('');
  const [file, setFile] = useState<File | null>(null);
  const [fileRef, setFileRef] = useState<FileRef | null>(null);
  const [sheet, setSheet] = useState('');
  // Kept apart from the preview: choosing another sheet drops the preview, not the list of sheets.
  const [sheets, setSheets] = useState<string[]>([]);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [columns, setColumns] = useState<Columns>({});
  const [dirty, setDirty] = useState(false);
  const [moved, setMoved] = useState<MovedColumn | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState(0);
  const [runState, setRunState] = useState<RunState>('idle');

  useEffect(() => {
    api.call('lenders.list', {}).then(
      ({ lenders: ls }) => {
        setLenders(ls);
        // Opened for one lender (or there is only one): preselect it.
        const wanted = ls.find((l) => l.id === nav.params.lenderId) ?? (ls.length === 1 ? ls[0] : undefined);
        if (wanted) setLenderId(wanted.id);
      },
      (e: unknown) => setError(describeError(t, e)),
    );
  }, [api, t, nav.params.lenderId]);

  const lender = lenders?.find((l) => l.id === lenderId);
  // Anything the preview depends on changes: it has to be read again.
  const invalidate = () => {
    setPreview(null);
    setDirty(false);
    setError(null);
  };

  /** Stages the file once, then previews it (with the edited mapping while the preview is still valid);
   *  `recheck` stays on step 2. */
  const read = async (recheck: boolean) => {
    if (!file || lenderId === '') return;
    setBusy(true);
    setError(null);
    let ref = fileRef;
    try {
      if (!ref) {
        ref = await api.stageFile(file);
        setFileRef(ref);
      }
      const p = await api.call('import.preview', {
        lenderId,
        file: ref,
        ...(sheet ? { sheet } : {}),
        ...(preview ? { mapping: toMapping(preview.headers, columns) } : {}),
      });
      setPreview(p);
      setSheets(p.sheets);
      setColumns(p.mapping);
      setMoved(null);
      setDirty(false);
      if (!recheck) setStep(1);
    } catch (e) {
      // The staged copy may be gone (swept at a restart): upload again next time.
      setFileRef(null);
      setError(describeError(t, e));
    } finally {
      setBusy(false);
    }
  };

  const onColumn = useCallback(
    (field: string, col: number | null) => {
      // One column feeds one field: the field that held it lets go, and the step says which.
      const from = col === null ? undefined : Object.entries(columns).find(([k, c]) => k !== field && c === col)?.[0];
      setMoved(from !== undefined && col !== null ? { column: col, from, to: field } : null);
      setColumns((old) => {
        const next: Columns = { ...old, [field]: col };
        if (col !== null) for (const [k, c] of Object.entries(old)) if (k !== field && c === col) next[k] = null;
        return next;
      });
      setDirty(true);
    },
    [columns],
  );

  const onRunState = useCallback((s: RunState) => setRunState(s), []);

  if (lenders === null) {
    return error ? <Alert severity="error">{error}</Alert> : <CircularProgress aria-label={t('common.loading')} />;
  }

  const blocked =
    step === 1 ? !preview || dirty || busy || missingFields(columns).length > 0 || preview.duplicateOf !== null : step === 2 ? !preview || cannotImport(lender, preview) : false;

  return (
    <Box>
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {t('import.title')}
      </Typography>
      <Stepper activeStep={runState === 'finished' ? STEPS.length : step} sx={{ mb: 3 }} data-testid="import-stepper" data-step={STEPS[step]}>
        {STEPS.map((s) => (
          <Step key={s}>
            <StepLabel>{t(`import.steps.${s}`)}</StepLabel>
          </Step>
        ))}
      </Stepper>
      <Paper variant="outlined" sx={{ p: 3 }}>
        {step === 0 ? (
          <FileStep
            lenders={lenders}
            lenderId={lenderId}
            onLender={(id) => {
              setLenderId(id);
              invalidate();
            }}
            file={file}
            onFile={(f) => {
              setFile(f);
              setFileRef(null);
              setSheet('');
              setSheets([]);
              invalidate();
            }}
            sheets={sheets}
            sheet={sheet}
            onSheet={(s) => {
              setSheet(s);
              invalidate();
            }}
            busy={busy}
          />
        ) : null}
        {step === 1 && preview ? <MappingStep preview={preview} columns={columns} onColumn={onColumn} moved={moved} dirty={dirty} busy={busy} onRecheck={() => void read(true)} /> : null}
        {step === 2 && preview ? <ProblemsStep preview={preview} lender={lender} fileName={file?.name ?? 'file'} /> : null}
        {step === 3 && preview && lender && fileRef ? (
          <ConfirmStep
            lender={lender}
            preview={preview}
            base={{ lenderId: lender.id, file: fileRef, ...(sheet ? { sheet } : {}), mapping: toMapping(preview.headers, columns) }}
            onRunState={onRunState}
            onAnother={onAnother}
          />
        ) : null}
        {error ? (
          <Alert severity="error" sx={{ mt: 2 }} data-testid="import-error">
            {error}
          </Alert>
        ) : null}
        {busy && step === 0 ? (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 2 }} data-testid="import-reading">
            <CircularProgress size={20} />
            <Typography variant="body2">{t('import.previewing')}</Typography>
          </Box>
        ) : null}
        {lenders.length > 0 && runState === 'idle' ? (
          <Box sx={{ display: 'flex', gap: 1, mt: 3 }}>
            {step > 0 ? (
              <Button onClick={() => setStep(step - 1)} disabled={busy} data-testid="import-back">
                {t('import.back')}
              </Button>
            ) : null}
            <Box sx={{ flexGrow: 1 }} />
            {step === 0 ? (
              <Button variant="contained" onClick={() => void read(false)} disabled={busy || !file || lenderId === ''} data-testid="import-read">
                {t('import.preview')}
              </Button>
            ) : step < 3 ? (
              <Button variant="contained" onClick={() => setStep(step + 1)} disabled={blocked} data-testid="import-next">
                {t('import.next')}
              </Button>
            ) : null}
          </Box>
        ) : null}
      </Paper>
    </Box>
  );
}

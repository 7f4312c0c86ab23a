// Distribute cases: choose them, a rule and a pool; Preview (nothing changes), then Apply what was
// previewed. Any change to the inputs drops the preview, so Apply always matches what is on screen.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import PreviewIcon from '@mui/icons-material/Visibility';
import DoneIcon from '@mui/icons-material/DoneAll';
import { useApi } from '../../context.js';
import { applyAfterOthers } from './applyAfterOthers.js';
import { describeError } from '../../errors.js';
import { useNav } from '../../shell/navigation.js';
import { EMPTY_SELECTION, SelectionFields, toSelection, type SelectionValues } from './SelectionFields.js';
import { DEFAULT_POOL, PoolFields, toPool, type PoolValues } from './PoolFields.js';
import { PlanView } from './PlanView.js';
import { ApplyDialog } from './ApplyDialog.js';
import { ApplyingNotice } from './ApplyingProgress.js';
import type { RefData } from '../../assign.js';
import type { AssignPlan } from '../../../shared/contract/assignment.js';

export function AssignTab({ refData }: { refData: RefData }) {
  const { t } = useTranslation();
  const api = useApi();
  const nav = useNav();
  const [picked, setPicked] = useState<number[] | null>(nav.params.caseIds?.length ? nav.params.caseIds : null);
  const [selection, setSelection] = useState<SelectionValues>({ ...EMPTY_SELECTION, collectorId: nav.params.collectorId ?? '', batchId: nav.params.batchId ?? '', lenderId: nav.params.lenderId ?? '' });
  const [pool, setPool] = useState<PoolValues>(DEFAULT_POOL);
  const [preview, setPreview] = useState<{ key: string; plan: AssignPlan } | null>(null);
  const [applied, setApplied] = useState<{ plan: AssignPlan; batchId: number | undefined } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);

  const input = useMemo(() => {
    const sel = toSelection(selection, picked);
    return sel ? { selection: sel, rule: pool.rule, pool: toPool(pool), keepBorrower: pool.keepBorrower } : null;
  }, [selection, picked, pool]);
  const key = JSON.stringify(input);
  const plan = preview && preview.key === key ? preview.plan : null;

  const runPreview = async () => {
    if (!input) return;
    setBusy(true);
    setError(null);
    setApplied(null);
    try {
      setPreview({ key, plan: await api.call('assign.preview', input) });
    } catch (e) {
      setPreview(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const apply = async (): Promise<string | null> => {
    if (!input) return null;
    try {
      const result = await applyAfterOthers(api, input);
      setApplied({ plan: result, batchId: input.selection.batchId });
      setPreview(null);
      void refData.reload(); // open workloads changed
      return null;
    } catch (e) {
      return describeError(t, e);
    }
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
      <ApplyingNotice active={!confirming} />
      <Paper variant="outlined" sx={{ p: 2 }}>
        <Typography variant="subtitle2" component="h2" sx={{ mb: 1.5 }}>
          {t('assign.whichCases')}
        </Typography>
        <SelectionFields value={selection} onChange={setSelection} pickedCount={picked?.length ?? null} onClearPicked={() => setPicked(null)} lenders={refData.lenders} staff={refData.staff} />
        <Divider sx={{ my: 2 }} />
        <Typography variant="subtitle2" component="h2" sx={{ mb: 1.5 }}>
          {t('assign.howAndWho')}
        </Typography>
        <PoolFields value={pool} onChange={setPool} teams={refData.teams} staff={refData.staff} />
        <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', mt: 2, flexWrap: 'wrap' }}>
          <Button variant="outlined" startIcon={<PreviewIcon />} disabled={!input || busy} onClick={() => void runPreview()} data-testid="assign-preview">
            {t('assign.preview')}
          </Button>
          <Button variant="contained" startIcon={<DoneIcon />} disabled={!plan || plan.assigned === 0 || busy} onClick={() => setConfirming(true)} data-testid="assign-apply">
            {t('assign.apply')}
          </Button>
          <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="assign-hint">
            {!input ? t('assign.chooseCases') : preview && !plan ? t('assign.previewStale') : !plan ? t('assign.previewFirst') : ''}
          </Typography>
        </Box>
      </Paper>
      {error ? (
        <Alert severity="error" data-testid="assign-error">
          {describeError(t, error)}
        </Alert>
      ) : null}
      {applied ? (
        <Alert
          severity="success"
          data-testid="assign-done"
          action={
            applied.batchId !== undefined ? (
              <Button color="inherit" size="small" onClick={() => nav.navigate('cases', { batchId: applied.batchId })} data-testid="assign-view-batch">
                {t('assign.viewBatchCases')}
              </Button>
            ) : undefined
          }
        >
          {t('assign.done', { id: applied.plan.assignmentId, count: applied.plan.assigned })}{' '}
          {applied.plan.skipped > 0 ? `${t('assign.skipped', { count: applied.plan.skipped })} ` : ''}
          {t('assign.doneHint')}
        </Alert>
      ) : null}
      {applied ? <PlanView plan={applied.plan} onCollectorCases={(collectorId) => nav.navigate('cases', { collectorId })} /> : plan ? <PlanView plan={plan} /> : null}
      {confirming && plan ? <ApplyDialog plan={plan} rule={pool.rule} onClose={() => setConfirming(false)} onApply={apply} /> : null}
    </Box>
  );
}

// Confirms an assignment with the numbers of the preview the manager is looking at.
import { useTranslation } from 'react-i18next';
import DialogContentText from '@mui/material/DialogContentText';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { useSession } from '../../context.js';
import { ApplyingNotice, ApplyProgress } from './ApplyingProgress.js';
import type { AssignPlan } from '../../../shared/contract/assignment.js';
import type { AssignRule } from '../../../shared/domain/assignment/plan.js';

export function ApplyDialog({ plan, rule, onClose, onApply }: { plan: AssignPlan; rule: AssignRule; onClose: () => void; onApply: () => Promise<string | null> }) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit(onApply, onClose);
  const { session } = useSession();
  const receivers = plan.perCollector.filter((p) => p.cases > 0).length;
  const unassignable = plan.unassignable.reduce((n, u) => n + u.cases, 0);
  return (
    <FormDialog
      open
      title={t('assign.confirmTitle')}
      testId="assign-apply-dialog"
      submitLabel={t('assign.apply')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <DialogContentText data-testid="assign-apply-text">
        {t('assign.confirmBody', { assigned: plan.assigned, collectors: receivers, rule: t(`assign.rules.${rule}.name`) })}
      </DialogContentText>
      {plan.unchanged > 0 || unassignable > 0 ? (
        <DialogContentText>{t('assign.confirmRest', { unchanged: plan.unchanged, unassignable })}</DialogContentText>
      ) : null}
      <DialogContentText>{t('assign.confirmRecorded')}</DialogContentText>
      {busy ? <ApplyProgress me={session.user.username} /> : <ApplyingNotice active />}
    </FormDialog>
  );
}

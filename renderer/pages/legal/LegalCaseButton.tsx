// The case work view's way into legal referral: a manager refers a case the stage machine lets go to court
// (ReferDialog); once referred, anyone who reads the case opens its referral (LegalDetail).
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Button from '@mui/material/Button';
import GavelIcon from '@mui/icons-material/AccountBalance';
import { useApi, useSession } from '../../context.js';
import { nextStages } from '../../casework.js';
import { ReferDialog } from './ReferDialog.js';
import { LegalDetail } from './LegalDetail.js';

export function LegalCaseButton({ caseId, caseNo, stage, onChanged }: { caseId: number; caseNo: string; stage: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const [referralId, setReferralId] = useState<number | null>(null);
  const [open, setOpen] = useState<'refer' | 'detail' | null>(null);
  const load = useCallback(() => {
    api.call('legal.list', { caseId, status: ['referred', 'filed', 'hearing_scheduled', 'judgment', 'enforcement'] }).then(
      (r) => setReferralId(r.referrals[0]?.id ?? null),
      () => setReferralId(null),
    );
  }, [api, caseId]);
  useEffect(load, [load, stage]);
  const canRefer = session.permissions.includes('legal.manage') && (stage === 'legal_referral' || nextStages(stage, session.user.role).includes('legal_referral'));
  if (referralId === null && !canRefer) return null;
  return (
    <>
      <Button size="small" variant="outlined" startIcon={<GavelIcon />} onClick={() => setOpen(referralId === null ? 'refer' : 'detail')} data-testid={referralId === null ? 'legal-refer' : 'legal-view'}>
        {referralId === null ? t('legal.buttonRefer') : t('legal.buttonView')}
      </Button>
      {open === 'refer' ? (
        <ReferDialog
          caseId={caseId}
          caseNo={caseNo}
          stage={stage}
          onClose={() => setOpen(null)}
          onReferred={(id) => {
            setReferralId(id);
            onChanged();
          }}
        />
      ) : null}
      {open === 'detail' && referralId !== null ? <LegalDetail referralId={referralId} onClose={() => setOpen(null)} onChanged={onChanged} /> : null}
    </>
  );
}

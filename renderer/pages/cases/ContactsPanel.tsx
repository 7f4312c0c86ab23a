// Who can be reached: the borrower and the contacts 1–6 from the placement file, numbers masked. Each
// has its own "log attempt" so the form opens with the right party; the number itself is never typed in.
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import AddCommentIcon from '@mui/icons-material/AddComment';
import type { CaseDetail } from '../../../shared/contract/assignment.js';
import { Unmaskable, type UnmaskCase } from './Unmask.js';

/** The borrower (null) or a contact's slot. */
export type Party = number | null;

function Row({ title, sub, phone, field, c, testId, onLog, canWork }: { title: string; sub: string; phone: string; field: string; c: UnmaskCase; testId: string; onLog: () => void; canWork: boolean }) {
  const { t } = useTranslation();
  return (
    <Box component="li" sx={{ display: 'flex', alignItems: 'center', gap: 1, py: 0.75, borderBottom: 1, borderColor: 'divider' }} data-testid={testId}>
      <Box sx={{ flexGrow: 1, minWidth: 0 }}>
        <Typography variant="body2" noWrap>
          {title}
          {sub ? (
            <Box component="span" sx={{ color: 'text.secondary' }}>
              {' · '}
              {sub}
            </Box>
          ) : null}
        </Typography>
        <Typography variant="body2" component="div" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums' }}>
          <Unmaskable c={c} field={field} value={phone || null} testId={`${testId}-phone`} />
        </Typography>
      </Box>
      {canWork ? (
        <Button size="small" onClick={onLog} data-testid={`${testId}-log`} sx={{ flexShrink: 0 }}>
          {t('casework.logShort')}
        </Button>
      ) : null}
    </Box>
  );
}

export function ContactsPanel({ detail: d, canWork, onLog }: { detail: CaseDetail; canWork: boolean; onLog: (party: Party) => void }) {
  const { t } = useTranslation();
  return (
    <Box>
      {canWork ? (
        <Button fullWidth variant="contained" startIcon={<AddCommentIcon />} onClick={() => onLog(null)} data-testid="log-attempt" sx={{ mb: 1 }}>
          {t('casework.logAttempt')}
        </Button>
      ) : null}
      <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
        <Row title={d.borrowerName} sub={t('casework.borrowerSelf')} phone={d.mobile} field="mobile" c={d} testId="case-party-borrower" onLog={() => onLog(null)} canWork={canWork} />
        {d.contacts.map((c) => (
          <Row
            key={c.slot}
            title={`${c.slot}. ${c.name || '—'}`}
            sub={c.relation}
            phone={c.phone}
            field={`contact${c.slot}`}
            c={d}
            testId={`case-contact-${c.slot}`}
            onLog={() => onLog(c.slot)}
            canWork={canWork}
          />
        ))}
      </Box>
      {d.contacts.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', mt: 1 }}>
          {t('caseDetail.noContacts')}
        </Typography>
      ) : null}
    </Box>
  );
}

// One case beside the list or the day's queue: borrower (masked as the backend returns it), placement,
// assignment, contacts and history. Opening it is logged by the backend (cases.view).
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import CloseIcon from '@mui/icons-material/Close';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { formatDateTime } from '../../format.js';
import { formatFen } from '../../placement.js';
import { CaseHistory } from './CaseHistory.js';
import type { CaseDetail } from '../../../shared/contract/assignment.js';

const WIDTH = 440;

function Fields({ rows }: { rows: [string, ReactNode, string?][] }) {
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: '9em 1fr', columnGap: 2, rowGap: 0.5, m: 0, '& dt': { color: 'text.secondary' }, '& dd': { m: 0, fontVariantNumeric: 'tabular-nums', minWidth: 0, overflowWrap: 'anywhere' } }}>
      {rows.map(([label, value, testId]) => (
        <Box key={label} sx={{ display: 'contents' }}>
          <dt>{label}</dt>
          <dd data-testid={testId}>{value ?? '—'}</dd>
        </Box>
      ))}
    </Box>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box sx={{ mb: 2 }}>
      <Typography variant="overline" component="h3" sx={{ color: 'text.secondary', lineHeight: 2 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

export function CaseDrawer({ caseId, onClose }: { caseId: number | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (caseId === null) return;
    let live = true;
    setDetail(null);
    setError(null);
    api.call('cases.get', { id: caseId }).then(
      (d) => live && setDetail(d),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api, caseId]);

  const d = detail;
  return (
    // Above the app bar (which sits over the permanent navigation drawer), like a dialog.
    <Drawer anchor="right" open={caseId !== null} onClose={onClose} sx={{ zIndex: (theme) => theme.zIndex.modal }} slotProps={{ paper: { sx: { width: WIDTH, maxWidth: '100vw' }, 'data-testid': 'case-drawer' } as object }}>
      <Toolbar sx={{ gap: 1 }}>
        <Typography variant="h6" component="h2" noWrap sx={{ flexGrow: 1 }} data-testid="case-drawer-title">
          {d ? `${d.caseNo} · ${d.borrowerName}` : t('caseDetail.title')}
        </Typography>
        <IconButton onClick={onClose} aria-label={t('common.close')} data-testid="case-drawer-close">
          <CloseIcon />
        </IconButton>
      </Toolbar>
      <Divider />
      <Box sx={{ p: 2, overflowY: 'auto' }}>
        {error ? <Alert severity="error">{describeError(t, error)}</Alert> : null}
        {!d && !error ? <CircularProgress size={28} sx={{ display: 'block', mx: 'auto', my: 4 }} /> : null}
        {d ? (
          <>
            <Section title={t('caseDetail.borrower')}>
              <Fields
                rows={[
                  [t('cases.col.borrower'), d.borrowerName],
                  [t('cases.col.idNumber'), d.idNumber, 'case-id-number'],
                  [t('cases.col.mobile'), d.mobile, 'case-mobile'],
                  [t('caseDetail.gender'), d.gender ? t(`caseDetail.genders.${d.gender}`, { defaultValue: d.gender }) : null],
                  [t('cases.col.province'), d.province],
                ]}
              />
            </Section>
            <Section title={t('caseDetail.case')}>
              <Fields
                rows={[
                  [t('cases.col.lender'), `${d.lenderCode} · ${d.lenderName}`],
                  [t('cases.col.batch'), `${d.batchNo} (${d.placementDate})`],
                  [t('cases.col.amount'), formatFen(d.overdueAmountFen), 'case-amount'],
                  [t('cases.col.days'), d.daysOverdue],
                  [t('cases.col.bucket'), d.bucket],
                  [t('cases.col.stage'), t(`cases.stages.${d.stage}`, { defaultValue: d.stage })],
                  [t('cases.col.collector'), d.collector ?? t('cases.unassigned'), 'case-collector'],
                  [t('caseDetail.assignedAt'), d.assignedAt ? formatDateTime(d.assignedAt, i18n.language) : null],
                ]}
              />
            </Section>
            <Section title={t('caseDetail.contacts')}>
              {d.contacts.length === 0 ? (
                <Typography variant="body2" sx={{ color: 'text.secondary' }}>{t('caseDetail.noContacts')}</Typography>
              ) : (
                <Fields rows={d.contacts.map((c): [string, ReactNode, string] => [`${c.slot}. ${c.name || '—'}${c.relation ? ` · ${c.relation}` : ''}`, c.phone || '—', `case-contact-${c.slot}`])} />
              )}
            </Section>
            <Section title={t('caseDetail.history')}>
              <CaseHistory history={d.history} />
            </Section>
          </>
        ) : null}
      </Box>
    </Drawer>
  );
}

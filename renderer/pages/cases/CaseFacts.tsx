// The facts beside the contacts: where the case came from, who holds it, and where the borrower lives and
// works (masked; the Details tab has everything the file said).
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import { formatDateTime } from '../../format.js';
import type { CaseDetail } from '../../../shared/contract/assignment.js';
import { Unmaskable } from './Unmask.js';

export function CaseFacts({ detail: d }: { detail: CaseDetail }) {
  const { t, i18n } = useTranslation();
  const fact = (key: string) => {
    for (const g of d.facts) for (const f of g.fields) if (f.key === key && g.group !== 'extra') return f.value === null ? null : String(f.value);
    return null;
  };
  const rows: [string, ReactNode][] = [
    [t('cases.col.batch'), `${d.batchNo} (${d.placementDate})`],
    [t('caseDetail.gender'), d.gender ? t(`caseDetail.genders.${d.gender}`, { defaultValue: d.gender }) : null],
    [t('cases.col.province'), d.province],
    [t('cases.col.collector'), d.collectorName ? `${d.collectorName} (${d.collector})` : d.collector],
    [t('caseDetail.assignedAt'), d.assignedAt ? formatDateTime(d.assignedAt, i18n.language) : null],
    [t('caseFacts.fields.employer'), fact('employer')],
    [t('caseFacts.fields.homeAddress'), fact('homeAddress') ? <Unmaskable c={d} field="homeAddress" value={fact('homeAddress')} testId="case-home-address" /> : null],
    [t('caseFacts.fields.workAddress'), fact('workAddress') ? <Unmaskable c={d} field="workAddress" value={fact('workAddress')} testId="case-work-address" /> : null],
  ];
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: '6.5em 1fr', columnGap: 1.5, rowGap: 0.5, m: 0, typography: 'body2', '& dt': { color: 'text.secondary' }, '& dd': { m: 0, minWidth: 0, overflowWrap: 'anywhere' } }}>
      {rows.map(([label, value]) => (
        <Box key={label} sx={{ display: 'contents' }}>
          <dt>{label}</dt>
          <dd>{value ?? '—'}</dd>
        </Box>
      ))}
    </Box>
  );
}

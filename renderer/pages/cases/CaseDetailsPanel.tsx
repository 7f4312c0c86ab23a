// The case view's "Details" tab: everything the placement file said, grouped (borrower, loan, debt at
// placement, addresses, the lender's other columns), masked by the backend as the privacy rules say, and
// what each re-placement by the lender changed. Field visits and letters start here.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { formatFen } from '../../placement.js';
import { formatDateTime } from '../../format.js';
import type { CaseDetail } from '../../../shared/contract/assignment.js';

type Fact = CaseDetail['facts'][number]['fields'][number];
type Change = CaseDetail['replacements'][number]['changes'][number];

function show(t: TFunction, kind: Fact['kind'], value: Fact['value']): string {
  if (value === null || value === '') return '—';
  if (kind === 'money' && typeof value === 'number') return `¥${formatFen(value)}`;
  if (kind === 'code') return t(`caseDetail.genders.${value}`, { defaultValue: String(value) });
  return String(value);
}

function label(t: TFunction, key: string): string {
  if (key.startsWith('extra:')) return key.slice('extra:'.length);
  const contact = /^contact(\d)$/.exec(key);
  if (contact) return t('caseFacts.fields.contactN', { n: contact[1] });
  return t(`caseFacts.fields.${key}`, { defaultValue: key });
}

function Group({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Box component="section" sx={{ minWidth: 0 }} data-testid={testId}>
      <Typography variant="overline" component="h3" sx={{ color: 'text.secondary', lineHeight: 2 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

const dlSx = {
  display: 'grid',
  gridTemplateColumns: 'minmax(7em, max-content) 1fr',
  columnGap: 1.5,
  rowGap: 0.5,
  m: 0,
  typography: 'body2',
  '& dt': { color: 'text.secondary' },
  '& dd': { m: 0, minWidth: 0, overflowWrap: 'anywhere', fontVariantNumeric: 'tabular-nums' },
} as const;

export function CaseDetailsPanel({ detail: d }: { detail: CaseDetail }) {
  const { t, i18n } = useTranslation();
  return (
    <Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))', columnGap: 3, rowGap: 1.5 }}>
        {d.facts.map((g) => (
          <Group key={g.group} title={t(`caseFacts.groups.${g.group}`)} testId={`facts-${g.group}`}>
            {g.fields.length === 0 ? (
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                {t('caseFacts.noExtra')}
              </Typography>
            ) : (
              <Box component="dl" sx={dlSx}>
                {g.fields.map((f) => {
                  // The lender's columns are named by the file's own headers.
                  const name = g.group === 'extra' && f.key !== 'notes' ? f.key : label(t, f.key);
                  return (
                    <Box key={f.key} sx={{ display: 'contents' }}>
                      <dt>{name}</dt>
                      <dd data-testid={`fact-${g.group === 'extra' && f.key !== 'notes' ? `extra-${f.key}` : f.key}`}>{show(t, f.kind, f.value)}</dd>
                    </Box>
                  );
                })}
              </Box>
            )}
          </Group>
        ))}
      </Box>
      <Typography variant="caption" component="p" sx={{ color: 'text.secondary', mt: 1 }}>
        {t('caseFacts.masked')}
      </Typography>
      <Group title={t('caseFacts.replacements')} testId="facts-replacements">
        {d.replacements.length === 0 ? (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {t('caseFacts.noReplacements')}
          </Typography>
        ) : (
          d.replacements.map((r) => (
            <Box key={`${r.at}-${r.batchNo ?? ''}`} sx={{ mb: 1.5 }} data-testid="replacement">
              <Typography variant="body2" sx={{ fontWeight: 600 }}>
                {t('caseFacts.replacedBy', { date: formatDateTime(r.at, i18n.language), batch: r.batchNo ?? '—' })}
              </Typography>
              <Box component="dl" sx={dlSx}>
                {r.changes.map((c: Change) => (
                  <Box key={c.key} sx={{ display: 'contents' }}>
                    <dt>{label(t, c.key)}</dt>
                    <dd>{t('caseFacts.changeLine', { from: c.from === null ? t('caseFacts.empty') : show(t, c.kind, c.from), to: c.to === null ? t('caseFacts.empty') : show(t, c.kind, c.to) })}</dd>
                  </Box>
                ))}
              </Box>
            </Box>
          ))
        )}
      </Group>
    </Box>
  );
}

// One legal referral: firm, lawyer, court and case number, status and next date, the documents sent and
// what happened (events, oldest first, never changed). Managers update it and record events.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useApi, useSession } from '../../context.js';
import { describeError } from '../../errors.js';
import { yuan } from '../../money.js';
import { stageName } from '../../casework.js';
import { legalEventName, legalStatusName, nextWhatText } from '../../legal.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';
import { EventDialog, UpdateDialog } from './LegalForms.js';

type Detail = MethodOutput<'legal.get'>;

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box>
      <Typography variant="caption" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography variant="body2" data-testid={testId}>
        {children || '—'}
      </Typography>
    </Box>
  );
}

export function LegalDetail({ referralId, onClose, onChanged }: { referralId: number; onClose: () => void; onChanged?: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const { session } = useSession();
  const canManage = session.permissions.includes('legal.manage');
  const [d, setD] = useState<Detail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form, setForm] = useState<'update' | 'event' | null>(null);
  const load = useCallback(async () => {
    try {
      setD(await api.call('legal.get', { referralId }));
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, referralId]);
  useEffect(() => void load(), [load]);
  const done = () => {
    void load();
    onChanged?.();
  };
  const r = d?.referral;

  return (
    <Dialog open onClose={onClose} maxWidth="md" fullWidth slotProps={{ paper: { 'data-testid': 'legal-detail' } as object }}>
      <DialogTitle>{r ? t('legal.detail.title', { id: r.id, caseNo: r.caseNo }) : t('legal.title')}</DialogTitle>
      <DialogContent dividers>
        {error ? <Alert severity="error">{describeError(t, error)}</Alert> : null}
        {r ? (
          <>
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
              <Chip color={r.status === 'closed' ? 'default' : 'primary'} label={legalStatusName(t, r.status)} data-testid="legal-detail-status" />
              {r.nextDate ? (
                <Chip variant="outlined" color={r.overdue ? 'error' : 'default'} label={`${t('legal.col.nextDate')} ${r.nextDate}${r.nextWhat ? ` · ${nextWhatText(t, r.nextWhat)}` : ''}${r.overdue ? ` · ${t('legal.overdue')}` : ''}`} data-testid="legal-detail-next" />
              ) : null}
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                {r.borrowerName} · {r.lenderName} · {stageName(t, r.stage)}
              </Typography>
            </Box>
            <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(4, minmax(0, 1fr))', gap: 2, mb: 2 }}>
              <Fact label={t('legal.col.lawFirm')} testId="legal-detail-firm">{r.lawFirm}</Fact>
              <Fact label={t('legal.col.lawyer')}>{r.lawyer}</Fact>
              <Fact label={t('legal.col.referredOn')}>{r.referredOn}</Fact>
              <Fact label={t('legal.col.cost')} testId="legal-detail-cost">{yuan(r.costFen)}</Fact>
              <Fact label={t('legal.col.court')} testId="legal-detail-court">{r.court}</Fact>
              <Fact label={t('legal.col.courtCaseNo')} testId="legal-detail-courtCaseNo">{r.courtCaseNo}</Fact>
              <Fact label={t('legal.col.collector')}>{r.collector ?? ''}</Fact>
              <Fact label={t('legal.detail.documents')} testId="legal-detail-documents">
                {r.documents.length ? r.documents.map((doc) => (doc.fileId ? `${doc.name} (${t('legal.detail.file')})` : doc.name)).join('、') : t('legal.detail.noDocuments')}
              </Fact>
            </Box>
            <Typography variant="overline" component="h3" sx={{ color: 'text.secondary' }}>
              {t('legal.detail.events')}
            </Typography>
            {d.events.length === 0 ? (
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                {t('legal.detail.noEvents')}
              </Typography>
            ) : (
              <Table size="small" data-testid="legal-events">
                <TableHead>
                  <TableRow>
                    <TableCell sx={{ width: 120 }}>{t('legal.event.onDate')}</TableCell>
                    <TableCell sx={{ width: 100 }}>{t('legal.event.kind')}</TableCell>
                    <TableCell>{t('legal.event.note')}</TableCell>
                    <TableCell align="right" sx={{ width: 120 }}>{t('legal.event.amount')}</TableCell>
                    <TableCell sx={{ width: 100 }} />
                  </TableRow>
                </TableHead>
                <TableBody>
                  {d.events.map((e) => (
                    <TableRow key={e.id} data-testid={`legal-event-${e.id}`}>
                      <TableCell sx={{ whiteSpace: 'nowrap' }}>{e.onDate}</TableCell>
                      <TableCell>{legalEventName(t, e.kind)}</TableCell>
                      <TableCell sx={{ whiteSpace: 'pre-wrap' }}>{e.note}</TableCell>
                      <TableCell align="right">{e.amountFen === null ? '' : yuan(e.amountFen)}</TableCell>
                      <TableCell sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>{t('legal.detail.by', { who: e.enteredBy })}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            {!canManage ? (
              <Typography variant="body2" sx={{ color: 'text.secondary', mt: 2 }}>
                {t('legal.detail.readOnly')}
              </Typography>
            ) : null}
          </>
        ) : null}
      </DialogContent>
      <DialogActions>
        {r && canManage ? (
          <>
            <Button onClick={() => setForm('event')} data-testid="legal-add-event">
              {t('legal.detail.addEvent')}
            </Button>
            <Button onClick={() => setForm('update')} disabled={r.status === 'closed'} data-testid="legal-update">
              {t('legal.detail.update')}
            </Button>
          </>
        ) : null}
        <Button variant="contained" onClick={onClose} data-testid="legal-detail-close">
          {t('common.close')}
        </Button>
      </DialogActions>
      {r && form === 'update' ? <UpdateDialog referral={r} onClose={() => setForm(null)} onDone={done} /> : null}
      {r && form === 'event' ? <EventDialog referral={r} onClose={() => setForm(null)} onDone={done} /> : null}
    </Dialog>
  );
}

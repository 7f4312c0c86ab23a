// The access report (privacy.accessReport) for a period: by user, the cases viewed by users who did not
// hold them, and every value shown in full with its reason; exported as CSV under the one CSV rule.
import { PeriodBar } from '../../components/PeriodBar.js';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { localDay } from '../../casework.js';
import { formatDateTime } from '../../format.js';
import { saveBlob } from '../../download.js';
import { accessReportCsv } from '../../../shared/domain/reports/access-csv.js';
import type { MethodOutput } from '../../../shared/contract/registry.js';

type Report = MethodOutput<'privacy.accessReport'>;

function Section({ title, head, rows, testId }: { title: string; head: string[]; rows: (string | number)[][]; testId: string }) {
  const { t } = useTranslation();
  return (
    <Box sx={{ mb: 3 }} data-testid={testId}>
      <Typography variant="subtitle1" component="h2" sx={{ mb: 0.5 }}>
        {title}
      </Typography>
      {rows.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {t('privacy.access.none')}
        </Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              {head.map((h) => (
                <TableCell key={h}>{h}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r, i) => (
              <TableRow key={i} data-testid={`${testId}-row`}>
                {r.map((c, j) => (
                  <TableCell key={j}>{c}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

export function AccessTab() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [from, setFrom] = useState(() => localDay(-6));
  const [to, setTo] = useState(() => localDay(0));
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const run = useCallback(async () => {
    setLoading(true);
    try {
      setReport(await api.call('privacy.accessReport', { from, to }));
      setError(null);
    } catch (e) {
      setError(e);
    }
    setLoading(false);
  }, [api, from, to]);
  useEffect(() => {
    void run();
  }, []);

  const col = (k: string) => t(`privacy.access.col.${k}`);
  const when = (iso: string) => formatDateTime(iso, i18n.language);
  const reason = (r: string) => t(`privacy.reasons.${r}`, { defaultValue: r });
  const role = (r: string) => t(`roles.${r}`, { defaultValue: r });
  const field = (f: string) => {
    const slot = /^contact([1-6])$/.exec(f);
    return slot ? t('privacy.fields.contact', { slot: slot[1] }) : f.startsWith('extra:') ? f.slice(6) : t(`privacy.fields.${f}`, { defaultValue: f });
  };
  const exportCsv = () => {
    if (!report) return;
    const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
    saveBlob(`access-report-${from}_${to}.csv`, new Blob([accessReportCsv(report, lang)], { type: 'text/csv;charset=utf-8' }));
  };

  return (
    <Box>
      <PeriodBar
        from={from}
        to={to}
        onFrom={setFrom}
        onTo={setTo}
        onRun={() => void run()}
        loading={loading}
        testId="access"
        labels={{ from: t('privacy.access.from'), to: t('privacy.access.to'), run: t('privacy.access.run'), help: t('privacy.access.help') }}
      >
        <Button variant="outlined" onClick={exportCsv} disabled={!report} data-testid="access-csv">
          {t('privacy.access.csv')}
        </Button>
      </PeriodBar>
      {error ? (
        <Alert severity="error" sx={{ mb: 2 }}>
          {describeError(t, error)}
        </Alert>
      ) : null}
      {report?.truncated ? (
        <Alert severity="warning" sx={{ mb: 2 }}>
          {t('privacy.access.truncated')}
        </Alert>
      ) : null}
      {report ? (
        <>
          <Section title={t('privacy.access.byUser')} head={[col('user'), col('views'), col('unmasks')]} rows={report.byUser.map((u) => [u.user, u.views, u.unmasks])} testId="access-by-user" />
          <Section
            title={t('privacy.access.unmasks')}
            head={[col('at'), col('user'), col('role'), col('caseNo'), col('field'), col('reason'), col('note')]}
            rows={report.unmasks.map((u) => [when(u.at), u.user, role(u.role), u.caseNo, field(u.field), reason(u.reason), u.note])}
            testId="access-unmasks"
          />
          <Section
            title={t('privacy.access.views')}
            head={[col('at'), col('user'), col('role'), col('caseNo'), col('holder')]}
            rows={report.views.map((v) => [when(v.at), v.user, role(v.role), v.caseNo, v.holder ?? '—'])}
            testId="access-views"
          />
        </>
      ) : null}
    </Box>
  );
}

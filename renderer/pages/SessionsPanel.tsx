// Who is connected (admins): on a team server, its address and certificate fingerprint to give the desks,
// and every live session — user, address, since, last call — with "End" for one left open on a lost laptop.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useApi } from '../context.js';
import { describeError } from '../errors.js';
import type { MethodOutput } from '../../shared/contract/registry.js';

const when = (iso: string) => new Date(iso).toLocaleString();

export function SessionsPanel() {
  const { t } = useTranslation();
  const api = useApi();
  const [data, setData] = useState<MethodOutput<'sessions.list'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api.call('sessions.list', {}).then(
      (d) => {
        setData(d);
        setError(null);
      },
      (e: unknown) => setError(e),
    );
  }, [api]);
  useEffect(load, [load]);

  return (
    <Card variant="outlined" sx={{ mt: 3 }} data-testid="sessions-panel">
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
          {t('sessions.title')}
        </Typography>
        {data?.server ? (
          <Alert severity="info" sx={{ mb: 2 }} data-testid="server-info">
            <div>{t('sessions.serverUrl', { url: data.server.url })}</div>
            <div style={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>{t('sessions.fingerprint', { fingerprint: data.server.fingerprint })}</div>
          </Alert>
        ) : null}
        {error ? <Alert severity="error">{describeError(t, error)}</Alert> : null}
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{t('sessions.user')}</TableCell>
              <TableCell>{t('sessions.from')}</TableCell>
              <TableCell>{t('sessions.since')}</TableCell>
              <TableCell>{t('sessions.lastCall')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {(data?.sessions ?? []).map((s) => (
              <TableRow key={s.id} data-testid={`session-${s.username}`}>
                <TableCell>
                  {s.displayName} ({s.username})
                </TableCell>
                <TableCell>{s.from || t('sessions.thisComputer')}</TableCell>
                <TableCell>{when(s.since)}</TableCell>
                <TableCell>{when(s.lastCall)}</TableCell>
                <TableCell align="right">
                  {s.current ? (
                    <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                      {t('sessions.current')}
                    </Typography>
                  ) : (
                    <Button size="small" color="error" onClick={() => void api.call('sessions.end', { id: s.id }).then(load, (e: unknown) => setError(e))} data-testid={`session-end-${s.username}`}>
                      {t('sessions.end')}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}

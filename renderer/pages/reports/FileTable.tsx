// The files of a report package: name, rows, size and SHA-256 (in full, wrapping, for comparing by eye).
import { useTranslation } from 'react-i18next';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { formatBytes } from '../../placement.js';

export interface PackageFile {
  name: string;
  sha256: string;
  bytes: number;
  rows: number | null;
}

export function FileTable({ files, testId }: { files: PackageFile[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <Table size="small" data-testid={testId}>
      <TableHead>
        <TableRow>
          <TableCell>{t('reports.export.file')}</TableCell>
          <TableCell align="right">{t('reports.export.rows')}</TableCell>
          <TableCell align="right">{t('reports.export.bytes')}</TableCell>
          <TableCell>{t('reports.export.sha256')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {files.map((f) => (
          <TableRow key={f.name} data-testid={`${testId}-${f.name}`}>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{f.name}</TableCell>
            <TableCell align="right">{f.rows ?? '—'}</TableCell>
            <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
              {formatBytes(f.bytes)}
            </TableCell>
            <TableCell sx={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' }}>{f.sha256}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A fingerprint in groups of four, for reading aloud. */
export const grouped = (fp: string): string => fp.match(/.{1,4}/g)?.join(' ') ?? fp;

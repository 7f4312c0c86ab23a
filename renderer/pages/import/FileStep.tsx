// Step 1: the lender, the file (button or drag-and-drop) and, for a workbook, the worksheet.
import { useRef, useState, type DragEvent, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { formatBytes } from '../../placement.js';
import { useNav } from '../../shell/navigation.js';
import type { Lender } from '../../../shared/contract/placements.js';

export const ACCEPT = '.csv,.tsv,.txt,.xlsx';
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

/** The backend sniffs the real format from the bytes; the name only keeps obvious mistakes out early. */
function acceptable(file: File): boolean {
  return /\.(csv|tsv|txt|xlsx)$/i.test(file.name);
}

export interface FileStepProps {
  lenders: Lender[];
  lenderId: number | '';
  onLender: (id: number) => void;
  file: File | null;
  onFile: (f: File) => void;
  /** Worksheets the last preview found ([] for text files or before reading). */
  sheets: string[];
  sheet: string;
  onSheet: (s: string) => void;
  busy: boolean;
}

export function FileStep({ lenders, lenderId, onLender, file, onFile, sheets, sheet, onSheet, busy }: FileStepProps) {
  const { t } = useTranslation();
  const nav = useNav();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [badFile, setBadFile] = useState(false);

  const take = (f: File | undefined) => {
    if (!f) return;
    setBadFile(!acceptable(f));
    if (acceptable(f)) onFile(f);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!busy) take(e.dataTransfer.files[0]);
  };

  if (lenders.length === 0) {
    return (
      <Alert severity="info" data-testid="import-no-lenders" action={<Button onClick={() => nav.navigate('lenders')}>{t('nav.lenders')}</Button>}>
        {t('import.noLenders')}
      </Alert>
    );
  }

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, maxWidth: 640 }}>
      <TextField
        select
        label={t('import.lender')}
        value={lenderId}
        onChange={(e) => onLender(Number(e.target.value))}
        disabled={busy}
        required
        slotProps={{ select: { SelectDisplayProps: displayProps('import-lender') } }}
      >
        {lenders.map((l) => (
          <MenuItem key={l.id} value={l.id} data-testid={`import-lender-${l.code}`}>
            {l.code} · {l.name}
          </MenuItem>
        ))}
      </TextField>
      <Box
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="import-dropzone"
        sx={{
          border: 2,
          borderStyle: 'dashed',
          borderColor: dragging ? 'primary.main' : 'divider',
          borderRadius: 2,
          bgcolor: dragging ? 'action.hover' : 'background.paper',
          p: 3,
          textAlign: 'center',
        }}
      >
        <UploadFileIcon color="action" sx={{ fontSize: 40 }} />
        <Typography sx={{ mb: 1 }}>{t('import.drop')}</Typography>
        <Button variant="outlined" onClick={() => input.current?.click()} disabled={busy} data-testid="import-choose">
          {t('import.choose')}
        </Button>
        <input
          ref={input}
          type="file"
          accept={ACCEPT}
          hidden
          data-testid="import-file-input"
          onChange={(e) => {
            take(e.target.files?.[0]);
            e.target.value = ''; // picking the same file again still fires onChange
          }}
        />
        {file ? (
          <Typography sx={{ mt: 1, fontWeight: 500, wordBreak: 'break-all' }} data-testid="import-file-name">
            {t('import.chosen', { name: file.name, size: formatBytes(file.size) })}
          </Typography>
        ) : null}
      </Box>
      {badFile ? (
        <Alert severity="warning" data-testid="import-bad-file">
          {t('import.badFile')}
        </Alert>
      ) : null}
      {sheets.length > 1 ? (
        <TextField
          select
          label={t('import.sheet')}
          value={sheet}
          onChange={(e) => onSheet(e.target.value)}
          disabled={busy}
          slotProps={{ select: { displayEmpty: true, SelectDisplayProps: displayProps('import-sheet') }, inputLabel: { shrink: true } }}
        >
          <MenuItem value="">{t('import.sheetAuto')}</MenuItem>
          {sheets.map((s) => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
      ) : null}
    </Box>
  );
}

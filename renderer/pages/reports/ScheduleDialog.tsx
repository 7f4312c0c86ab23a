// Add or change a report schedule: lender, name, daily / weekly on a weekday / monthly on day 1–28,
// formats, .zip, active.
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import DialogContentText from '@mui/material/DialogContentText';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { useApi } from '../../context.js';
import { describeError } from '../../errors.js';
import { LenderPicker } from '../../components/LenderPicker.js';
import { FormDialog, useSubmit } from '../userDialogs.js';
import type { Lender } from '../../../shared/contract/placements.js';
import type { ReportSchedule } from '../../../shared/contract/report-schedules.js';

const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;
type Every = ReportSchedule['every'];

export function ScheduleDialog({ lenders, schedule, onClose, onSaved }: { lenders: Lender[]; schedule: ReportSchedule | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const [lenderId, setLenderId] = useState<number | ''>(schedule?.lenderId ?? '');
  const [name, setName] = useState(schedule?.name ?? '');
  const [every, setEvery] = useState<Every>(schedule?.every ?? 'weekly');
  const [weekday, setWeekday] = useState(schedule?.weekday ?? 1);
  const [monthDay, setMonthDay] = useState(schedule?.monthDay ?? 1);
  const [formats, setFormats] = useState({ csv: schedule ? schedule.formats.includes('csv') : true, xlsx: schedule ? schedule.formats.includes('xlsx') : true });
  const [zip, setZip] = useState(schedule?.zip ?? true);
  const [active, setActive] = useState(schedule?.active ?? true);
  const [touched, setTouched] = useState(false);
  const chosen = (['csv', 'xlsx'] as const).filter((f) => formats[f]);
  const valid = lenderId !== '' && name.trim() !== '' && chosen.length > 0;
  const { busy, error, run } = useSubmit(async () => {
    try {
      await api.call('reportSchedules.save', {
        ...(schedule ? { id: schedule.id } : {}),
        lenderId: lenderId as number,
        name: name.trim(),
        every,
        ...(every === 'weekly' ? { weekday } : every === 'monthly' ? { monthDay } : {}),
        formats: chosen,
        zip,
        active,
      });
      onSaved();
      return null;
    } catch (e) {
      return describeError(t, e);
    }
  }, onClose);

  return (
    <FormDialog
      open
      title={t(schedule ? 'schedules.editTitle' : 'schedules.addTitle')}
      testId="schedule-dialog"
      submitLabel={t('schedules.save')}
      onClose={onClose}
      busy={busy}
      error={error ?? (touched && !valid ? t('validation.required') : null)}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (valid) void run();
      }}
    >
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: 1 }}>
        <DialogContentText variant="body2">{t('schedules.help')}</DialogContentText>
        <LenderPicker lenders={lenders} value={lenderId} onChange={setLenderId} testId="schedule-lender" label={t('schedules.lender')} />
        <TextField size="small" label={t('schedules.name')} value={name} onChange={(e) => setName(e.target.value)} error={touched && !name.trim()} slotProps={{ htmlInput: { 'data-testid': 'schedule-name', maxLength: 100 } }} />
        <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
          <TextField select size="small" label={t('schedules.every')} value={every} onChange={(e) => setEvery(e.target.value as Every)} sx={{ minWidth: 160 }} slotProps={{ select: { SelectDisplayProps: displayProps('schedule-every') } }}>
            {(['daily', 'weekly', 'monthly'] as const).map((v) => (
              <MenuItem key={v} value={v} data-testid={`schedule-every-${v}`}>{t(`schedules.${v}`)}</MenuItem>
            ))}
          </TextField>
          {every === 'weekly' ? (
            <TextField select size="small" label={t('schedules.weekday')} value={weekday} onChange={(e) => setWeekday(Number(e.target.value))} sx={{ minWidth: 160 }} slotProps={{ select: { SelectDisplayProps: displayProps('schedule-weekday') } }}>
              {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                <MenuItem key={d} value={d} data-testid={`schedule-weekday-${d}`}>{t(`schedules.weekdays.${d}`)}</MenuItem>
              ))}
            </TextField>
          ) : null}
          {every === 'monthly' ? (
            <TextField select size="small" label={t('schedules.monthDay')} value={monthDay} onChange={(e) => setMonthDay(Number(e.target.value))} sx={{ minWidth: 160 }} slotProps={{ select: { SelectDisplayProps: displayProps('schedule-monthday') } }}>
              {Array.from({ length: 28 }, (_, i) => i + 1).map((d) => (
                <MenuItem key={d} value={d} data-testid={`schedule-monthday-${d}`}>{d}</MenuItem>
              ))}
            </TextField>
          ) : null}
        </Box>
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
          {(['csv', 'xlsx'] as const).map((f) => (
            <FormControlLabel key={f} label={f.toUpperCase()} control={<Checkbox checked={formats[f]} onChange={(e) => setFormats({ ...formats, [f]: e.target.checked })} data-testid={`schedule-format-${f}`} />} />
          ))}
          <FormControlLabel label={t('schedules.zip')} control={<Switch checked={zip} onChange={(e) => setZip(e.target.checked)} data-testid="schedule-zip" />} />
          <FormControlLabel label={t('schedules.active')} control={<Switch checked={active} onChange={(e) => setActive(e.target.checked)} data-testid="schedule-active" />} />
        </Box>
      </Box>
    </FormDialog>
  );
}

// Add or change a template. The fields a body may use are chips that insert {{field}} at the cursor;
// for a third party the fields that would disclose the debt are greyed out. The backend checks again
// and its BAD_INPUT message (which rule, which field) is shown as it came.
import { useRef, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { FormDialog, useSubmit } from '../userDialogs.js';
import { AUDIENCES, DEBT_FIELDS, TEMPLATE_KINDS, TEMPLATE_LANGUAGES, type TemplateField } from '../../../shared/domain/casework/templates.js';
import type { MessageTemplate } from '../../../shared/contract/casework.js';
import type { MethodInput } from '../../../shared/contract/registry.js';

type Input = MethodInput<'messageTemplates.save'>;
const displayProps = (testId: string) => ({ 'data-testid': testId }) as HTMLAttributes<HTMLDivElement>;

export function TemplateDialog({ template, fields, onClose, onSave }: { template: MessageTemplate | null; fields: string[]; onClose: () => void; onSave: (v: Input) => Promise<string | null> }) {
  const { t } = useTranslation();
  const [name, setName] = useState(template?.name ?? '');
  const [kind, setKind] = useState<Input['kind']>(template?.kind ?? 'sms');
  const [audience, setAudience] = useState<Input['audience']>(template?.audience ?? 'borrower');
  const [language, setLanguage] = useState<Input['language']>(template?.language ?? 'zh-CN');
  const [body, setBody] = useState(template?.body ?? '');
  const [touched, setTouched] = useState(false);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const errors = { name: name.trim() ? null : t('validation.required'), body: body.trim() ? null : t('validation.required') };
  const { busy, error, run } = useSubmit(() => onSave({ ...(template ? { id: template.id } : {}), name: name.trim(), kind, audience, language, body: body.trim() }), onClose);

  // Inserts at the cursor (or replaces the selection) and puts the cursor after the field.
  const insert = (field: string) => {
    const el = bodyRef.current;
    const text = `{{${field}}}`;
    const [start, end] = el ? [el.selectionStart, el.selectionEnd] : [body.length, body.length];
    setBody(body.slice(0, start) + text + body.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  const select = (label: string, value: string, onChange: (v: string) => void, options: readonly string[], key: string, testId: string) => (
    <TextField select fullWidth label={label} value={value} disabled={busy} onChange={(e) => onChange(e.target.value)} slotProps={{ select: { SelectDisplayProps: displayProps(testId) } }}>
      {options.map((o) => (
        <MenuItem key={o} value={o} data-testid={`${testId}-${o}`}>
          {t(`${key}.${o}`)}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <FormDialog
      open
      title={template ? t('compliance.templates.editTitle', { name: template.name }) : t('compliance.templates.add')}
      testId="template-dialog"
      submitLabel={template ? t('common.save') : t('common.create')}
      onClose={onClose}
      busy={busy}
      error={error}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (!errors.name && !errors.body) void run();
      }}
    >
      <TextField label={t('compliance.templates.name')} value={name} onChange={(e) => setName(e.target.value)} autoFocus disabled={busy} error={touched && Boolean(errors.name)} helperText={(touched && errors.name) || ' '} slotProps={{ htmlInput: { maxLength: 80, 'data-testid': 'template-name' } }} />
      <Stack direction="row" spacing={2} sx={{ pb: 2 }}>
        {select(t('compliance.templates.kind'), kind, (v) => setKind(v as Input['kind']), TEMPLATE_KINDS, 'compliance.templates.kinds', 'template-kind')}
        {select(t('compliance.templates.audience'), audience, (v) => setAudience(v as Input['audience']), AUDIENCES, 'compliance.templates.audiences', 'template-audience')}
        {select(t('compliance.templates.language'), language, (v) => setLanguage(v as Input['language']), TEMPLATE_LANGUAGES, 'lang', 'template-language')}
      </Stack>
      <Box>
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          {t('compliance.templates.fields')}
        </Typography>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, mt: 0.5, mb: 1.5 }}>
          {fields.map((f) => {
            const blocked = audience === 'third_party' && DEBT_FIELDS.includes(f as TemplateField);
            return (
              <Tooltip key={f} title={blocked ? t('compliance.templates.debtField') : `{{${f}}}`}>
                <span>
                  <Chip size="small" variant="outlined" label={t(`compliance.templates.fieldNames.${f}`, { defaultValue: f })} disabled={busy || blocked} onClick={() => insert(f)} data-testid={`template-field-${f}`} />
                </span>
              </Tooltip>
            );
          })}
        </Box>
      </Box>
      <TextField
        label={t('compliance.templates.body')}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        multiline
        minRows={5}
        maxRows={12}
        disabled={busy}
        error={touched && Boolean(errors.body)}
        helperText={(touched && errors.body) || t('compliance.templates.bodyHelp')}
        inputRef={bodyRef}
        slotProps={{ htmlInput: { maxLength: 5000, 'data-testid': 'template-body' } }}
      />
    </FormDialog>
  );
}

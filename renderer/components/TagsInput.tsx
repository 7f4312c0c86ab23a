// A chip input: pick from suggestions or type a new tag and press Enter (skills, regions).
import Autocomplete from '@mui/material/Autocomplete';
import Chip from '@mui/material/Chip';
import TextField from '@mui/material/TextField';

export function TagsInput({
  label,
  value,
  onChange,
  options,
  testId,
  helperText,
  disabled,
  max = 40,
}: {
  label: string;
  value: string[];
  onChange: (v: string[]) => void;
  options: readonly string[];
  testId: string;
  helperText?: string;
  disabled?: boolean;
  max?: number;
}) {
  return (
    <Autocomplete
      multiple
      freeSolo
      autoSelect
      options={options as string[]}
      value={value}
      disabled={disabled}
      filterSelectedOptions
      // Tags are trimmed, unique and at most 40 characters (the backend refuses others).
      onChange={(_e, v) => onChange([...new Set(v.map((s) => s.trim().slice(0, 40)).filter(Boolean))].slice(0, max))}
      renderValue={(tags, getItemProps) =>
        tags.map((tag, index) => {
          const { key, ...props } = getItemProps({ index });
          return <Chip key={key} size="small" label={tag} {...props} data-testid={`${testId}-chip-${tag}`} />;
        })
      }
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          helperText={helperText ?? ' '}
          slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': testId, maxLength: 40 } }}
        />
      )}
      data-testid={`${testId}-box`}
    />
  );
}

import TextField, { type TextFieldProps } from '@mui/material/TextField';

/** A password TextField (never trimmed, never autocompleted into the wrong account). */
export function PasswordField(props: TextFieldProps) {
  return <TextField autoComplete="new-password" fullWidth {...props} type="password" />;
}

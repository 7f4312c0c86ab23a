// Form checks built on the shared zod schemas, with messages in the UI language.
import type { TFunction } from 'i18next';
import { usernameSchema, passwordSchema, displayNameSchema, PASSWORD_MIN_LENGTH } from '../shared/domain/credentials.js';
import { parseRecoveryKey } from '../shared/domain/recovery-key.js';

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export function checkUsername(t: TFunction, value: string): string | undefined {
  if (!value.trim()) return t('validation.required');
  return usernameSchema.safeParse(value).success ? undefined : t('validation.username');
}

export function checkPassword(t: TFunction, value: string): string | undefined {
  if (!value) return t('validation.required');
  const r = passwordSchema.safeParse(value);
  if (r.success) return undefined;
  const tooBig = r.error.issues.some((i) => i.code === 'too_big');
  return tooBig ? t('validation.passwordMax') : t('validation.passwordMin', { min: PASSWORD_MIN_LENGTH });
}

export function checkConfirm(t: TFunction, password: string, confirm: string): string | undefined {
  if (!confirm) return t('validation.required');
  return password === confirm ? undefined : t('validation.mismatch');
}

export function checkDisplayName(t: TFunction, value: string): string | undefined {
  if (!value.trim()) return t('validation.required');
  return displayNameSchema.safeParse(value).success ? undefined : t('validation.tooLong', { max: 80 });
}

/** A required, trimmed text with a maximum length (agency and team names). */
export function checkName(t: TFunction, value: string, max: number): string | undefined {
  const v = value.trim();
  if (!v) return t('validation.required');
  return v.length > max ? t('validation.tooLong', { max }) : undefined;
}

export function checkRecoveryKey(t: TFunction, value: string): string | undefined {
  if (!value.trim()) return t('validation.required');
  return parseRecoveryKey(value) ? undefined : t('validation.recoveryKey');
}

export function hasErrors(errors: Record<string, string | undefined>): boolean {
  return Object.values(errors).some((e) => e !== undefined);
}

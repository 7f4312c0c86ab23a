// Why a placement row was rejected, in the UI language. core words reasons in English (they are stored
// with the batch); the common ones are recognised here by pattern, anything else is shown as written.
import type { TFunction } from 'i18next';

// [pattern, key]: the captured groups become {{a}} and {{b}}.
const PATTERNS: Array<[RegExp, string]> = [
  [/^empty$/, 'empty'],
  [/^ID number checksum does not match$/, 'idChecksum'],
  [/^ID number has (\d+) digits$/, 'idDigits'],
  [/^ID number has X in the wrong place: (.*)$/s, 'idX'],
  [/^ID number contains an invalid character: (.*)$/s, 'idChar'],
  [/^ID number was stored as a number/, 'idAsNumber'],
  [/^ID number has an unknown province code (\S+)$/, 'idProvince'],
  [/^ID number has an invalid birth date$/, 'idBirth'],
  [/^ID number birth date is in the future$/, 'idBirthFuture'],
  [/^mobile number has (\d+) digits$/, 'mobileDigits'],
  [/^landline, not a mobile number: (.*)$/s, 'landline'],
  [/^not a mobile number(?: \(has an extension\))?: (.*)$/s, 'notMobile'],
  [/^not a mainland China number: (.*)$/s, 'notMainland'],
  [/^not a phone number.*?: (.*)$/s, 'notPhone'],
  [/^not an amount: (.*)$/s, 'notAmount'],
  [/^more than 2 decimals: (.*)$/s, 'decimals'],
  [/^amount too large: (.*)$/s, 'tooLarge'],
  [/^negative amount not allowed: (.*)$/s, 'negative'],
  [/^misplaced thousands separator: (.*)$/s, 'thousands'],
  [/^(?:not a date|no such date)(?: \(Excel serial out of range\))?: (.*)$/s, 'notDate'],
  [/^year out of range [^:]*: (.*)$/s, 'notDate'],
  [/^not a whole number: (.*)$/s, 'notInteger'],
  [/^case number (.*) appears again \(first at row (\d+)\)$/s, 'duplicateCase'],
  [/^longer than (\d+) characters$/, 'tooLong'],
  [/^total (\S+) differs from its components (\S+)$/, 'mismatchTotal'],
  [/^components (\S+) exceed the total (\S+)$/, 'exceedTotal'],
  [/^placement amount (\S+) differs from the overdue amount (\S+)$/, 'twoTotals'],
  [/^placement date (\S+) is after today$/, 'placedAfterToday'],
  [/^placement end (\S+) is before the placement date (\S+)$/, 'endBeforePlacement'],
];

export function rejectionReason(t: TFunction, reason: string): string {
  for (const [re, key] of PATTERNS) {
    const m = re.exec(reason);
    if (m) return t(`reasons.${key}`, { a: m[1] ?? '', b: m[2] ?? '' });
  }
  return reason;
}

// A date someone promises to pay by is about the future: a promise to pay logged with a contact (承诺还款), a
// plan's due date, a plan's first installment. One dated before the day it is made would be broken the moment it
// is saved (未兑现) and count against the collector and the borrower for nothing. Core refuses it with this rule
// (keyed messages promiseBeforeMadeOn, planDateBeforeToday, planFirstBeforeToday); the log form asks it too, to
// warn before sending. "Today" is the agency's calendar day (today.ts `dayIn`).

/**
 * Whether `date` (YYYY-MM-DD) is too early to be promised on `madeOn`, the agency's day the promise is made
 * (today; for a contact entered late, the day of the call). That day itself and later days are fine.
 */
export function promisedTooEarly(date: string, madeOn: string): boolean {
  return date < madeOn;
}

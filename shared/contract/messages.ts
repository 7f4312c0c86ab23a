// Backend messages with a stable key. A refusal users meet often carries its key and parameters in the
// error envelope ({code, message, key, params}); the UI shows its own translation of the key
// (renderer/i18n/messages-*.ts, the English one is this table) and falls back to `message`, the English
// text made here, for a key it does not know (an older UI). The CLI prints `message`.

export const MESSAGES = {
  // Reading a file (placements, repayments, recalls).
  fileEmpty: 'The file is empty.',
  fileOldXls: 'This is an old .xls workbook: save it as .xlsx or CSV in Excel and import that.',
  fileBinary: 'This is not a text file (it contains binary data). Expected CSV, TSV or XLSX.',
  fileEncodingUnknown: 'The file is neither UTF-8 nor GBK/GB18030: invalid {{encoding}} byte 0x{{byte}} at byte offset {{offset}}.',
  fileInvalidByte: 'Invalid {{encoding}} byte 0x{{byte}} at byte offset {{offset}}; nothing was imported.',
  fileTruncatedChar: 'The file ends in the middle of a {{encoding}} character (byte offset {{offset}}).',
  fileLineTooLong: 'A line is longer than {{mb}} MB: not a placement file.',
  fileTooManyColumns: 'Row {{row}} has {{columns}} columns; at most {{max}} are allowed.',
  fileTooManyRows: 'More than {{max}} rows.',
  fileCsvUnparsable: 'The CSV cannot be parsed: {{detail}}',
  fileUnreadable: 'Cannot read the file: {{detail}}',
  fileNoHeaderRow: 'No header row found in the first {{rows}} rows: no header row found: none of the first {{limit}} rows names at least {{min}} known columns (best: {{best}}).',
  fileNoHeaderRowSheets: 'No sheet of the workbook has a header row in its first {{rows}} rows (sheets: {{sheets}}).',
  fileNoRows: 'The file has no rows.',
  fileTooBig: 'Reading the file needed more than {{mb}} MB; nothing was imported.',
  xlsxUnreadable: 'This is not a readable XLSX file ({{detail}}); it may be truncated or damaged.',
  xlsxZipBomb: 'The XLSX would inflate to more than {{gb}} GB: refused as a zip bomb.',
  xlsxRatio: '{{entry}} inflates {{ratio}}× its size: refused as a zip bomb.',
  xlsxNotWorkbook: 'This zip file is not an Excel workbook (no xl/workbook.xml).',
  xlsxDamaged: 'The XLSX file is damaged: {{detail}}',
  // Importing a placement.
  importDuplicateFile: 'This file was already imported as batch {{batchNo}} on {{date}}.',
  importBatchNoUsed: 'Batch number {{batchNo}} is already used for this lender.',
  importRequiredUnmapped: 'Required fields are not mapped to any column: {{fields}}. Map them and try again.',
  importBlockedByPolicy: "{{count}} row(s) were rejected and this lender's policy blocks the whole file: nothing was imported.",
  importUploadGone: 'The uploaded file is gone (uploads are removed after import and at restart): upload it again.',
  // Money.
  paymentBeforePlacement: "Case {{caseNo}} was placed on {{date}}: a payment before that is in the lender's figures already.",
  paymentInFuture: 'A payment cannot be dated in the future ({{date}}).',
  paymentCaseFinished: 'Case {{caseNo}} is {{stage}}: payments for it go to the lender.',
  paymentAlreadyReversed: 'Payment {{id}} was already reversed by entry {{by}}.',
  balanceBeforePlacement: 'The case was placed on {{date}}: no balance before that.',
  planCaseFinished: 'Case {{caseNo}} is {{stage}}: no plan can be made for it.',
  planAlreadyOpen: 'Case {{caseNo}} already has a plan ({{status}}, #{{id}}): decide on it first.',
  planNothingOwed: 'Case {{caseNo}} owes nothing: there is nothing to plan.',
  planDateBeforeToday: 'The due date cannot be before today ({{date}}).',
  planFirstBeforeToday: 'The first installment cannot be due before today ({{date}}).',
  promiseBeforeMadeOn: 'A promise to pay is about the future: its date cannot be before the day it is made ({{date}}).',
  // Cases.
  caseNotFound: 'No case with id {{id}}.',
  // Uploads and disk space (team server).
  uploadTooLarge: 'The file is larger than {{mb}} MB, the most this kind of upload may be.',
  uploadQuota: 'Your uploads not yet used hold {{usedMb}} MB; with this file they would pass your quota of {{quotaMb}} MB. Finish or cancel the imports you started, or wait {{minutes}} minutes for unused uploads to be removed.',
  diskSpaceLow: 'Not enough free disk space in {{dir}}: {{freeMb}} MB free, about {{needMb}} MB needed. Free some space (or pick another folder) and try again.',
  // A team server no administrator has unlocked yet.
  serverLocked: 'The server is locked: an administrator must unlock it first.',
  serverLockedRecovered: 'The new password of {{username}} is set, but the server is locked: an administrator must unlock it before {{username}} can log in.',
  // The desktop as an office client: the server could not be reached, nothing ran there (the page's client retries).
  officeServerUnavailable: 'The office server is unavailable ({{why}}). Retrying; nothing unsaved was sent.',
} as const;

export type MessageKey = keyof typeof MESSAGES;
export type MessageParams = Record<string, string | number>;

/** `{{name}}` in a template, as i18next writes it (the UI translates with the same parameters). */
const PLACEHOLDER = /\{\{(\w+)\}\}/g;

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).sort();
}

/** The English text of a keyed message. */
export function messageText(key: MessageKey, params: MessageParams = {}): string {
  return MESSAGES[key].replace(PLACEHOLDER, (all, name: string) => (name in params ? String(params[name]) : all));
}

export function isMessageKey(key: unknown): key is MessageKey {
  return typeof key === 'string' && Object.hasOwn(MESSAGES, key);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
let recognisers: { key: MessageKey; re: RegExp; names: string[] }[] | null = null;

/**
 * The key and parameters of a message made from the table's English text (messageText, or the same words
 * written out where a message is thrown), so every host's envelope carries the key whichever code threw it.
 * null when the text is not one of the table's.
 */
export function recogniseMessage(text: string): { key: MessageKey; params: MessageParams } | null {
  recognisers ??= (Object.keys(MESSAGES) as MessageKey[]).map((key) => {
    const names: string[] = [];
    const parts = MESSAGES[key].split(PLACEHOLDER);
    // split with one capture group: text, name, text, name, …, text.
    const src = parts.map((p, i) => (i % 2 ? (names.push(p), '([\\s\\S]+?)') : escape(p))).join('');
    return { key, re: new RegExp(`^${src}$`), names };
  });
  for (const r of recognisers) {
    const m = r.re.exec(text);
    if (m) return { key: r.key, params: Object.fromEntries(r.names.map((n, i) => [n, m[i + 1]!])) };
  }
  return null;
}

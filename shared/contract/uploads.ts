// What an upload to an HTTP host is for: the page names it in a header and the host applies that purpose's
// size limit (web/upload-stream.ts UPLOAD_LIMITS). No header means a placement file (the largest).
export const UPLOAD_PURPOSES = ['placement', 'repayment', 'recall', 'case-file', 'package'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];
export const UPLOAD_PURPOSE_HEADER = 'X-AgencyDesk-Upload-Purpose';

// Complaints and case flags in words and colours, for every page that shows them.
import type { TFunction } from 'i18next';
import type { Complaint } from '../shared/contract/complaints.js';
import type { CaseFlag } from '../shared/domain/casework/complaints.js';

export { CASE_FLAGS, AUTOMATIC_FLAGS, COMPLAINT_CHANNELS, COMPLAINT_FROM } from '../shared/domain/casework/complaints.js';

export const FLAG_COLOR: Record<CaseFlag, 'default' | 'warning' | 'error' | 'secondary'> = {
  lost_contact: 'default',
  complaint: 'error',
  high_risk: 'warning',
  deceased: 'secondary',
};

export const flagName = (t: TFunction, f: string) => t(`flags.names.${f}`, { defaultValue: f });
export const channelName = (t: TFunction, c: string) => t(`complaints.channels.${c}`, { defaultValue: c });
export const fromName = (t: TFunction, k: Pick<Complaint, 'from' | 'contactSlot'>) => t(`complaints.from.${k.from}`, { slot: k.contactSlot ?? '' });
export const statusName = (t: TFunction, s: string) => t(`complaints.statuses.${s}`, { defaultValue: s });

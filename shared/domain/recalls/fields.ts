// The columns of a lender's recall file (退案清单): the case number (the same spellings as placements)
// and an optional reason per case.
import type { FieldDef } from '../placement/fields.js';
import { PLACEMENT_FIELDS } from '../placement/fields.js';

export type RecallFieldKey = 'caseNo' | 'reason';

const caseNo = PLACEMENT_FIELDS.find((f) => f.key === 'caseNo')!;

export const RECALL_FIELDS: readonly FieldDef<RecallFieldKey>[] = Object.freeze([
  { ...caseNo, key: 'caseNo' as const },
  { key: 'reason' as const, type: 'text', required: false, labelZh: '退案原因', labelEn: 'Reason', synonyms: ['原因', '撤案原因', '召回原因', '备注', 'recall reason', 'return reason', 'note', 'remark'] },
] as FieldDef<RecallFieldKey>[]);

// The access report as CSV (privacy.accessReport): one section per part — views of cases by users who did
// not hold them, then unmasking — with headers in the user's language. Every cell goes through the one
// CSV rule (csv-safe.ts): a note typed as "=HYPERLINK(…)" reaches the spreadsheet as text.
import { csvText } from './csv-safe.js';

export interface AccessReportData {
  views: readonly { at: string; user: string; role: string; caseNo: string; holder: string | null }[];
  unmasks: readonly { at: string; user: string; role: string; caseNo: string; field: string; reason: string; note: string }[];
}

const HEAD = {
  'zh-CN': { kind: '类型', at: '时间 (UTC)', user: '用户', role: '角色', caseNo: '案件编号', holder: '当时持有人', field: '字段', reason: '原因', note: '说明', view: '查看', unmask: '显示完整信息' },
  en: { kind: 'kind', at: 'time (UTC)', user: 'user', role: 'role', caseNo: 'case no.', holder: 'holder then', field: 'field', reason: 'reason', note: 'note', view: 'view', unmask: 'unmask' },
} as const;

export function accessReportCsv(r: AccessReportData, language: 'zh-CN' | 'en'): string {
  const h = HEAD[language];
  return csvText([
    [h.kind, h.at, h.user, h.role, h.caseNo, h.holder, h.field, h.reason, h.note],
    ...r.views.map((v) => [h.view, v.at, v.user, v.role, v.caseNo, v.holder ?? '', '', '', '']),
    ...r.unmasks.map((u) => [h.unmask, u.at, u.user, u.role, u.caseNo, '', u.field, u.reason, u.note]),
  ]);
}

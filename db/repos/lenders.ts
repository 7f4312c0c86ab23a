import type { Db } from '../open.js';
import type { Lender } from '../../shared/contract/placements.js';

interface Row {
  id: number;
  code: string;
  name: string;
  contact: string;
  reject_policy: Lender['rejectPolicy'];
  amount_mismatch_policy: Lender['amountMismatchPolicy'];
  terms_set: number;
  case_count: number;
  created_at: string;
}
const toLender = (r: Row): Lender => ({
  id: r.id,
  code: r.code,
  name: r.name,
  contact: r.contact,
  rejectPolicy: r.reject_policy,
  amountMismatchPolicy: r.amount_mismatch_policy,
  termsSet: r.terms_set === 1,
  caseCount: r.case_count,
  createdAt: r.created_at,
});
const SELECT = `SELECT l.id, l.code, l.name, l.contact, l.reject_policy, l.amount_mismatch_policy, l.terms_set, l.created_at,
  (SELECT count(*) FROM cases c WHERE c.lender_id = l.id) AS case_count FROM lenders l`;

export function lendersRepo(db: Db) {
  const byId = db.prepare<[number], Row>(`${SELECT} WHERE l.id = ?`);
  const byCode = db.prepare<[string], Row>(`${SELECT} WHERE l.code = ?`);
  const all = db.prepare<[], Row>(`${SELECT} ORDER BY l.code`);
  const insert = db.prepare<[string, string, string, string, string, string, string]>(
    'INSERT INTO lenders (code, name, contact, reject_policy, amount_mismatch_policy, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[string, string, string, string, string, number]>(
    'UPDATE lenders SET name = ?, contact = ?, reject_policy = ?, amount_mismatch_policy = ?, updated_at = ? WHERE id = ?',
  );
  const deleteTemplate = db.prepare<[number, string]>('DELETE FROM mapping_templates WHERE lender_id = ? AND name = ?');
  const templates = db.prepare<[number], { name: string; mapping: string; updated_at: string }>(
    'SELECT name, mapping, updated_at FROM mapping_templates WHERE lender_id = ? ORDER BY updated_at DESC',
  );
  const saveTemplate = db.prepare<[number, string, string, string, string]>(
    `INSERT INTO mapping_templates (lender_id, name, mapping, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (lender_id, name) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`,
  );
  return {
    byId: (id: number) => {
      const r = byId.get(id);
      return r ? toLender(r) : null;
    },
    byCode: (code: string) => {
      const r = byCode.get(code);
      return r ? toLender(r) : null;
    },
    list: () => all.all().map(toLender),
    create: (l: { code: string; name: string; contact: string; rejectPolicy: string; amountMismatchPolicy?: string | undefined }, now: string) =>
      Number(insert.run(l.code, l.name, l.contact, l.rejectPolicy, l.amountMismatchPolicy ?? 'principal_difference', now, now).lastInsertRowid),
    update: (id: number, l: { name: string; contact: string; rejectPolicy: string; amountMismatchPolicy: string }, now: string) =>
      void update.run(l.name, l.contact, l.rejectPolicy, l.amountMismatchPolicy, now, id),
    templates: (lenderId: number) =>
      templates.all(lenderId).map((t) => ({ name: t.name, mapping: JSON.parse(t.mapping) as Record<string, string>, updatedAt: t.updated_at })),
    saveTemplate: (lenderId: number, name: string, mapping: Record<string, string>, now: string) =>
      void saveTemplate.run(lenderId, name, JSON.stringify(mapping), now, now),
    deleteTemplate: (lenderId: number, name: string): boolean => deleteTemplate.run(lenderId, name).changes > 0,
  };
}

// Report schedules' SQL: saved schedules with their lender, creator and last package.
import type { Db } from '../open.js';

export interface ScheduleRow {
  id: number;
  lender_id: number;
  lender: string;
  name: string;
  every: 'daily' | 'weekly' | 'monthly';
  weekday: number | null;
  month_day: number | null;
  formats: string;
  zip: number;
  out_dir: string | null;
  active: number;
  next_run_on: string;
  last_run_on: string | null;
  last_export_id: number | null;
  last_export_path: string | null;
  last_export_at: string | null;
  last_error: string | null;
  created_by: number;
  created_by_name: string;
}
export type ScheduleInput = Pick<ScheduleRow, 'lender_id' | 'name' | 'every' | 'weekday' | 'month_day' | 'formats' | 'zip' | 'out_dir' | 'active' | 'next_run_on'>;

export function reportSchedulesRepo(db: Db) {
  const SELECT = `SELECT s.*, l.code AS lender, u.username AS created_by_name, e.path AS last_export_path, e.generated_at AS last_export_at
     FROM report_schedules s JOIN lenders l ON l.id = s.lender_id JOIN users u ON u.id = s.created_by LEFT JOIN report_exports e ON e.id = s.last_export_id`;
  const list = db.prepare<[number | null, number | null], ScheduleRow>(`${SELECT} WHERE (? IS NULL OR s.lender_id = ?) ORDER BY l.code, s.name`);
  const one = db.prepare<[number], ScheduleRow>(`${SELECT} WHERE s.id = ?`);
  const due = db.prepare<[string], ScheduleRow>(`${SELECT} WHERE s.active = 1 AND s.next_run_on <= ? ORDER BY s.next_run_on, s.id`);
  const insert = db.prepare(
    `INSERT INTO report_schedules (lender_id, name, every, weekday, month_day, formats, zip, out_dir, active, next_run_on, created_by, created_at)
     VALUES (@lender_id, @name, @every, @weekday, @month_day, @formats, @zip, @out_dir, @active, @next_run_on, @created_by, @created_at)`,
  );
  const update = db.prepare(
    `UPDATE report_schedules SET lender_id = @lender_id, name = @name, every = @every, weekday = @weekday, month_day = @month_day, formats = @formats,
       zip = @zip, out_dir = @out_dir, active = @active, next_run_on = @next_run_on WHERE id = @id`,
  );
  const ran = db.prepare<[string, number | null, string | null, string, number]>('UPDATE report_schedules SET last_run_on = ?, last_export_id = ?, last_error = ?, next_run_on = ? WHERE id = ?');
  const del = db.prepare<[number]>('DELETE FROM report_schedules WHERE id = ?');
  return {
    list: (lenderId: number | null): ScheduleRow[] => list.all(lenderId, lenderId),
    get: (id: number): ScheduleRow | null => one.get(id) ?? null,
    due: (today: string): ScheduleRow[] => due.all(today),
    add: (s: ScheduleInput, by: number, at: string): number => Number(insert.run({ ...s, created_by: by, created_at: at }).lastInsertRowid),
    update: (id: number, s: ScheduleInput): void => void update.run({ ...s, id }),
    ran: (id: number, on: string, exportId: number | null, error: string | null, next: string): void => void ran.run(on, exportId, error, next, id),
    delete: (id: number): boolean => del.run(id).changes > 0,
  };
}

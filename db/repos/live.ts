// What changed since a client last looked, in a few index lookups: clients poll this every few seconds and
// fetch their lists again only when it moves (a manager assigned or recalled cases, a colleague logged a call).
import type { Db } from '../open.js';

export function liveRepo(db: Db) {
  const holding = db.prepare<[number], { n: number; m: number }>(
    'SELECT count(*) AS n, coalesce(max(assignment_id), 0) AS m FROM case_assignments WHERE collector_id = ?',
  );
  const latest = db.prepare<[], { a: number; c: number; p: number }>(
    `SELECT (SELECT coalesce(max(id), 0) FROM assignments) AS a, (SELECT coalesce(max(id), 0) FROM contact_attempts) AS c,
            (SELECT coalesce(max(id), 0) FROM payments) AS p`,
  );
  return {
    /** A collector's cases: how many they hold and the latest assignment that gave them one. */
    collectorVersion(collectorId: number): string {
      const h = holding.get(collectorId)!;
      return `${h.n}.${h.m}`;
    },
    /** The office: the latest assignment, contact entry and payment. */
    officeVersion(): string {
      const l = latest.get()!;
      return `${l.a}.${l.c}.${l.p}`;
    },
  };
}

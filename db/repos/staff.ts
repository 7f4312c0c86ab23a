// Collectors as the assignment sees them: profile (capacity, level, skills, regions, absence), their
// team's buckets, and their open workload.
import type { Db } from '../open.js';
import type { Staff } from '../../shared/contract/assignment.js';
import { OPEN_WORKLOAD } from './assignment.js';

/** Capacity of a collector nobody has configured yet (open cases). */
export const DEFAULT_CAPACITY = 3000;

interface Row {
  id: number;
  username: string;
  display_name: string;
  team_id: number | null;
  team_name: string | null;
  team_buckets: string | null;
  status: 'active' | 'disabled';
  capacity: number;
  level: string;
  skills: string;
  regions: string;
  absent: number;
  open_cases: number;
  open_amount: number;
}

const toStaff = (r: Row): Staff => ({
  userId: r.id,
  username: r.username,
  displayName: r.display_name,
  teamId: r.team_id,
  teamName: r.team_name,
  teamBuckets: JSON.parse(r.team_buckets ?? '[]') as string[],
  active: r.status === 'active',
  absent: r.absent === 1,
  capacity: r.capacity,
  level: r.level,
  skills: JSON.parse(r.skills) as string[],
  regions: JSON.parse(r.regions) as string[],
  openCases: r.open_cases,
  openAmountFen: r.open_amount,
});

const SELECT = `SELECT u.id, u.username, u.display_name, u.team_id, t.name AS team_name, t.buckets AS team_buckets, u.status,
    coalesce(p.capacity, ${DEFAULT_CAPACITY}) AS capacity, coalesce(p.level, '') AS level, coalesce(p.skills, '[]') AS skills,
    coalesce(p.regions, '[]') AS regions, coalesce(p.absent, 0) AS absent, coalesce(w.n, 0) AS open_cases, coalesce(w.amount, 0) AS open_amount
  FROM users u LEFT JOIN teams t ON t.id = u.team_id LEFT JOIN collector_profiles p ON p.user_id = u.id
  LEFT JOIN (SELECT a.collector_id, count(*) AS n, sum(c.overdue_amount_fen) AS amount ${OPEN_WORKLOAD} GROUP BY a.collector_id) w ON w.collector_id = u.id
  WHERE u.role = 'collector'`;
const SELECT_ONE = `SELECT u.id, u.username, u.display_name, u.team_id, t.name AS team_name, t.buckets AS team_buckets, u.status,
    coalesce(p.capacity, ${DEFAULT_CAPACITY}) AS capacity, coalesce(p.level, '') AS level, coalesce(p.skills, '[]') AS skills,
    coalesce(p.regions, '[]') AS regions, coalesce(p.absent, 0) AS absent,
    (SELECT count(*) FROM case_assignments a JOIN cases c ON c.id = a.case_id WHERE a.collector_id = u.id AND c.status = 'open') AS open_cases,
    (SELECT coalesce(sum(c.overdue_amount_fen), 0) FROM case_assignments a JOIN cases c ON c.id = a.case_id WHERE a.collector_id = u.id AND c.status = 'open') AS open_amount
  FROM users u LEFT JOIN teams t ON t.id = u.team_id LEFT JOIN collector_profiles p ON p.user_id = u.id
  WHERE u.role = 'collector' AND u.id = ?`;

export interface ProfileValues {
  capacity: number;
  level: string;
  skills: string[];
  regions: string[];
  absent: boolean;
}

export function staffRepo(db: Db) {
  const all = db.prepare<[], Row>(`${SELECT} ORDER BY u.username`);
  const one = db.prepare<[number], Row>(SELECT_ONE);
  const upsert = db.prepare<[number, number, string, string, string, number, string]>(
    `INSERT INTO collector_profiles (user_id, capacity, level, skills, regions, absent, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET capacity = excluded.capacity, level = excluded.level, skills = excluded.skills,
       regions = excluded.regions, absent = excluded.absent, updated_at = excluded.updated_at`,
  );
  const setBuckets = db.prepare<[string, number]>('UPDATE teams SET buckets = ? WHERE id = ?');
  return {
    list: (): Staff[] => all.all().map(toStaff),
    byId: (userId: number): Staff | null => {
      const r = one.get(userId);
      return r ? toStaff(r) : null;
    },
    saveProfile: (userId: number, v: ProfileValues, now: string): void =>
      void upsert.run(userId, v.capacity, v.level, JSON.stringify(v.skills), JSON.stringify(v.regions), v.absent ? 1 : 0, now),
    setTeamBuckets: (teamId: number, buckets: string[]): void => void setBuckets.run(JSON.stringify(buckets), teamId),
  };
}

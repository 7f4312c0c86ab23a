import type { Db } from '../open.js';
import type { Role } from '../../shared/domain/roles.js';
import type { Team, User } from '../../shared/contract/models.js';

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  team_id: number | null;
  team_name: string | null;
  status: 'active' | 'disabled';
  created_at: string;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  teamId: r.team_id,
  teamName: r.team_name,
  status: r.status,
  createdAt: r.created_at,
});

const SELECT_USER = `SELECT u.id, u.username, u.display_name, u.role, u.team_id, t.name AS team_name, u.status, u.created_at
  FROM users u LEFT JOIN teams t ON t.id = u.team_id`;

export function usersRepo(db: Db) {
  const byId = db.prepare<[number], UserRow>(`${SELECT_USER} WHERE u.id = ?`);
  const byName = db.prepare<[string], UserRow>(`${SELECT_USER} WHERE u.username = ?`);
  const all = db.prepare<[], UserRow>(`${SELECT_USER} ORDER BY u.username`);
  const insert = db.prepare<[string, string, Role, number | null, string, string]>(
    'INSERT INTO users (username, display_name, role, team_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, \'active\', ?, ?)',
  );
  const update = db.prepare<[string, Role, number | null, string, number]>(
    'UPDATE users SET display_name = ?, role = ?, team_id = ?, updated_at = ? WHERE id = ?',
  );
  const setStatus = db.prepare<[string, string, number]>('UPDATE users SET status = ?, updated_at = ? WHERE id = ?');
  const activeAdmins = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin' AND status = 'active'");
  return {
    byId: (id: number): User | null => {
      const r = byId.get(id);
      return r ? toUser(r) : null;
    },
    byUsername: (username: string): User | null => {
      const r = byName.get(username);
      return r ? toUser(r) : null;
    },
    list: (): User[] => all.all().map(toUser),
    create: (u: { username: string; displayName: string; role: Role; teamId: number | null }, now: string): number =>
      Number(insert.run(u.username, u.displayName, u.role, u.teamId, now, now).lastInsertRowid),
    update: (id: number, u: { displayName: string; role: Role; teamId: number | null }, now: string): void =>
      void update.run(u.displayName, u.role, u.teamId, now, id),
    setStatus: (id: number, status: 'active' | 'disabled', now: string): void => void setStatus.run(status, now, id),
    activeAdminCount: (): number => activeAdmins.get()!.n,
  };
}

interface TeamRow {
  id: number;
  name: string;
  buckets: string;
  member_count: number;
  created_at: string;
}
const toTeam = (r: TeamRow): Team => ({ id: r.id, name: r.name, memberCount: r.member_count, buckets: JSON.parse(r.buckets) as string[], createdAt: r.created_at });
const SELECT_TEAM = `SELECT t.id, t.name, t.buckets, t.created_at,
  (SELECT count(*) FROM users u WHERE u.team_id = t.id AND u.status = 'active') AS member_count FROM teams t`;

export function teamsRepo(db: Db) {
  const byId = db.prepare<[number], TeamRow>(`${SELECT_TEAM} WHERE t.id = ?`);
  const byName = db.prepare<[string], TeamRow>(`${SELECT_TEAM} WHERE t.name = ?`);
  const all = db.prepare<[], TeamRow>(`${SELECT_TEAM} ORDER BY t.name`);
  const insert = db.prepare<[string, string]>('INSERT INTO teams (name, created_at) VALUES (?, ?)');
  const rename = db.prepare<[string, number]>('UPDATE teams SET name = ? WHERE id = ?');
  return {
    byId: (id: number): Team | null => {
      const r = byId.get(id);
      return r ? toTeam(r) : null;
    },
    byName: (name: string): Team | null => {
      const r = byName.get(name);
      return r ? toTeam(r) : null;
    },
    list: (): Team[] => all.all().map(toTeam),
    create: (name: string, now: string): number => Number(insert.run(name, now).lastInsertRowid),
    rename: (id: number, name: string): void => void rename.run(name, id),
  };
}

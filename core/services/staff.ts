// Collector profiles (capacity, level, skills, regions, absence) and the buckets each team owns.
import { ApiFailure } from '../../shared/contract/failure.js';
import type { Handler } from '../context.js';

const list: Handler<'staff.list'> = (_input, ctx) => ({ staff: ctx.store.repos.staff.list() });

const update: Handler<'staff.update'> = (input, ctx) => {
  const r = ctx.store.repos;
  const before = r.staff.byId(input.userId);
  if (!before) throw new ApiFailure('NOT_FOUND', `User ${input.userId} is not a collector.`);
  const dedupe = (xs: string[] | undefined, fallback: string[]) => (xs ? [...new Set(xs)] : fallback);
  const next = {
    capacity: input.capacity ?? before.capacity,
    level: input.level ?? before.level,
    skills: dedupe(input.skills, before.skills),
    regions: dedupe(input.regions, before.regions),
    absent: input.absent ?? before.absent,
  };
  r.db.transaction(() => {
    r.staff.saveProfile(before.userId, next, ctx.now().toISOString());
    const { capacity, level, skills, regions, absent } = before;
    ctx.audit('staff.update', 'user', before.userId, { before: { capacity, level, skills, regions, absent }, after: next });
  })();
  return r.staff.byId(before.userId)!;
};

const setBuckets: Handler<'teams.setBuckets'> = ({ teamId, buckets }, ctx) => {
  const r = ctx.store.repos;
  if (!r.teams.byId(teamId)) throw new ApiFailure('NOT_FOUND', `No team with id ${teamId}.`);
  const unique = [...new Set(buckets)];
  r.db.transaction(() => {
    r.staff.setTeamBuckets(teamId, unique);
    ctx.audit('teams.setBuckets', 'team', teamId, { buckets: unique });
  })();
  return { teamId, buckets: unique };
};

export const staffHandlers = { 'staff.list': list, 'staff.update': update, 'teams.setBuckets': setBuckets };

import { ApiFailure } from '../../shared/contract/failure.js';
import type { User } from '../../shared/contract/models.js';
import type { Role } from '../../shared/domain/roles.js';
import { makePasswordSlot, withPasswordSlot, withoutPasswordSlot } from '../../db/keyslots.js';
import { markRekeyDue, mayHoldPrivileged, privilegedFor, syncPrivileged } from '../key-slots.js';
import { heldCheck } from '../slot-tag.js';
import { clearAndDrain } from '../../db/lockout-file.js';
import { auditDrained } from './auth.js';
import type { Ctx, Handler } from '../context.js';

function getUser(ctx: Ctx, id: number): User {
  const u = ctx.store.repos.users.byId(id);
  if (!u) throw new ApiFailure('NOT_FOUND', `No user with id ${id}.`);
  return u;
}

function checkTeam(ctx: Ctx, teamId: number | null | undefined): void {
  if (teamId != null && !ctx.store.repos.teams.byId(teamId)) throw new ApiFailure('NOT_FOUND', `No team with id ${teamId}.`);
}

/** An agency must keep at least one active admin, or nobody can manage users again. */
function keepAnAdmin(ctx: Ctx, target: User): void {
  if (target.role === 'admin' && target.status === 'active' && ctx.store.repos.users.activeAdminCount() <= 1) {
    throw new ApiFailure('CONFLICT', 'This is the last active administrator: make another user admin first.');
  }
}

async function writeNewSlot(ctx: Ctx, username: string, role: Role, password: string): Promise<void> {
  const slots = ctx.store.slots();
  // Users who may sign reports get the signing lock too, when this session holds it (else at a later grant). Every
  // slot is tagged for it (when held), so a later grant is checked at the owner's login, not trusted.
  const slot = await makePasswordSlot(slots.storeId, ctx.store.masterKey, username, password, privilegedFor(ctx, role), heldCheck(ctx));
  // Re-read after the await: another call may have changed the file meanwhile.
  ctx.store.saveSlots(withPasswordSlot(ctx.store.slots(), slot));
}

const list: Handler<'users.list'> = ({ includeDisabled }, ctx) => ({
  users: ctx.store.repos.users.list().filter((u) => includeDisabled || u.status === 'active'),
});

const create: Handler<'users.create'> = async (input, ctx) => {
  const r = ctx.store.repos;
  if (r.users.byUsername(input.username)) throw new ApiFailure('CONFLICT', `The username ${input.username} is taken.`);
  checkTeam(ctx, input.teamId);
  const slots = ctx.store.slots();
  const slot = await makePasswordSlot(slots.storeId, ctx.store.masterKey, input.username, input.password, privilegedFor(ctx, input.role), heldCheck(ctx));
  if (r.users.byUsername(input.username)) throw new ApiFailure('CONFLICT', `The username ${input.username} is taken.`);
  const id = r.db.transaction(() => {
    const newId = r.users.create(input, ctx.now().toISOString());
    ctx.audit('users.create', 'user', newId, { username: input.username, role: input.role, teamId: input.teamId });
    return newId;
  })();
  ctx.store.saveSlots(withPasswordSlot(ctx.store.slots(), slot));
  return getUser(ctx, id);
};

const update: Handler<'users.update'> = (input, ctx) => {
  const r = ctx.store.repos;
  const before = getUser(ctx, input.id);
  checkTeam(ctx, input.teamId);
  if (input.role !== undefined && input.role !== 'admin') keepAnAdmin(ctx, before);
  const next = {
    displayName: input.displayName ?? before.displayName,
    role: input.role ?? before.role,
    teamId: input.teamId === undefined ? before.teamId : input.teamId,
  };
  r.db.transaction(() => {
    r.users.update(before.id, next, ctx.now().toISOString());
    ctx.audit('users.update', 'user', before.id, {
      before: { displayName: before.displayName, role: before.role, teamId: before.teamId },
      after: next,
    });
    // Whoever loses the right to sign may have kept a copy of their slot with the signing lock in it.
    if (mayHoldPrivileged(before.role) && !mayHoldPrivileged(next.role)) markRekeyDue(ctx, { username: before.username, why: 'demoted', from: before.role, to: next.role });
  })();
  if (next.role !== before.role) syncPrivileged(ctx);
  return getUser(ctx, before.id);
};

const disable: Handler<'users.disable'> = (input, ctx) => {
  const r = ctx.store.repos;
  const target = getUser(ctx, input.id);
  if (target.id === ctx.user!.id) throw new ApiFailure('CONFLICT', 'You cannot disable your own account.');
  keepAnAdmin(ctx, target);
  r.db.transaction(() => {
    r.users.setStatus(target.id, 'disabled', ctx.now().toISOString());
    ctx.audit('users.disable', 'user', target.id, { username: target.username });
    // A copy of their slot (or the folder) they kept still unwraps this master key: it must change (rekey).
    markRekeyDue(ctx, { username: target.username, why: 'disabled' });
  })();
  // Their slot goes: they can no longer unwrap the master key with their password.
  ctx.store.saveSlots(withoutPasswordSlot(ctx.store.slots(), target.username));
  ctx.sessions.deleteUser(target.id);
  return getUser(ctx, target.id);
};

const enable: Handler<'users.enable'> = async (input, ctx) => {
  const r = ctx.store.repos;
  const target = getUser(ctx, input.id);
  if (target.status === 'active') throw new ApiFailure('CONFLICT', `${target.username} is already active.`);
  await writeNewSlot(ctx, target.username, target.role, input.password);
  r.db.transaction(() => {
    r.users.setStatus(target.id, 'active', ctx.now().toISOString());
    ctx.audit('users.enable', 'user', target.id, { username: target.username });
  })();
  return getUser(ctx, target.id);
};

const resetPassword: Handler<'users.resetPassword'> = async (input, ctx) => {
  const target = getUser(ctx, input.id);
  if (target.status !== 'active') throw new ApiFailure('CONFLICT', `${target.username} is disabled: enable the account with a new password instead.`);
  await writeNewSlot(ctx, target.username, target.role, input.password);
  const drained = clearAndDrain(ctx.store.files, target.username, ctx.now().getTime());
  ctx.store.repos.db.transaction(() => {
    auditDrained(ctx, drained); // the failures that led here are kept, not dropped with the counter
    ctx.audit('users.resetPassword', 'user', target.id, { username: target.username });
    // After a leak the old password still opens any copy of the old slot: the master key must change.
    markRekeyDue(ctx, { username: target.username, why: 'reset' });
  })();
  // A reset is what an admin does after a leak: every session opened with the old password ends now.
  if (target.id !== ctx.user!.id) ctx.sessions.deleteUser(target.id);
  else ctx.sessions.deleteUser(target.id, ctx.session ?? undefined);
  return target;
};

const teamsList: Handler<'teams.list'> = (_input, ctx) => ({ teams: ctx.store.repos.teams.list() });

const teamsCreate: Handler<'teams.create'> = ({ name }, ctx) => {
  const r = ctx.store.repos;
  if (r.teams.byName(name)) throw new ApiFailure('CONFLICT', `A team named ${name} exists.`);
  const id = r.db.transaction(() => {
    const newId = r.teams.create(name, ctx.now().toISOString());
    ctx.audit('teams.create', 'team', newId, { name });
    return newId;
  })();
  return r.teams.byId(id)!;
};

const teamsRename: Handler<'teams.rename'> = ({ id, name }, ctx) => {
  const r = ctx.store.repos;
  const before = r.teams.byId(id);
  if (!before) throw new ApiFailure('NOT_FOUND', `No team with id ${id}.`);
  const clash = r.teams.byName(name);
  if (clash && clash.id !== id) throw new ApiFailure('CONFLICT', `A team named ${name} exists.`);
  r.db.transaction(() => {
    r.teams.rename(id, name);
    ctx.audit('teams.rename', 'team', id, { before: before.name, after: name });
  })();
  return r.teams.byId(id)!;
};

export const userHandlers = {
  'users.list': list,
  'users.create': create,
  'users.update': update,
  'users.disable': disable,
  'users.enable': enable,
  'users.resetPassword': resetPassword,
  'teams.list': teamsList,
  'teams.create': teamsCreate,
  'teams.rename': teamsRename,
};

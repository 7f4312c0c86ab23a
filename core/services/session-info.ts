import type { Session, User } from '../../shared/contract/models.js';
import { permissionsOf } from '../../shared/domain/roles.js';
import { DEFAULT_IDLE_LOCK_MINUTES, type Ctx } from '../context.js';

export function idleLockMinutes(ctx: Ctx): number {
  return ctx.store.repos.meta.getSetting<number>('idleLockMinutes') ?? DEFAULT_IDLE_LOCK_MINUTES;
}

export function describeUser(ctx: Ctx, user: User): Omit<Session, 'token'> {
  return { user, permissions: permissionsOf(user.role), idleLockMinutes: idleLockMinutes(ctx) };
}

export function startSession(ctx: Ctx, user: User): Session {
  const token = ctx.sessions.create(user.id, ctx.now().getTime(), ctx.client);
  return { token, ...describeUser(ctx, user) };
}

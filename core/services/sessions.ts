// Admins see who is connected and can end a session (a lost laptop, a collector who left the desk).
import { ApiFailure } from '../../shared/contract/failure.js';
import type { Handler } from '../context.js';

const list: Handler<'sessions.list'> = (_input, ctx) => {
  const users = ctx.store.repos.users;
  const mine = ctx.session ? ctx.sessions.idOf(ctx.session) : null;
  const sessions = ctx.sessions
    .list()
    .sort((a, b) => b.lastSeenMs - a.lastSeenMs)
    .map((s) => {
      const u = users.byId(s.userId);
      return {
        id: s.id,
        userId: s.userId,
        username: u?.username ?? '?',
        displayName: u?.displayName ?? '',
        from: s.from,
        since: new Date(s.createdMs).toISOString(),
        lastCall: new Date(s.lastSeenMs).toISOString(),
        current: s.id === mine,
      };
    });
  return { sessions, server: ctx.serverInfo };
};

const end: Handler<'sessions.end'> = ({ id }, ctx) => {
  const target = ctx.sessions.list().find((s) => s.id === id);
  if (!target) throw new ApiFailure('NOT_FOUND', 'No such session (it may have ended already).');
  if (ctx.session && ctx.sessions.idOf(ctx.session) === id) throw new ApiFailure('CONFLICT', 'This is your own session: log out instead.');
  ctx.store.repos.db.transaction(() => ctx.audit('sessions.end', 'user', target.userId, { from: target.from }))();
  return { ended: ctx.sessions.deleteById(id) };
};

/** Collectors: their own holding; everyone else: the office's latest assignment, contact entry and payment. */
const liveVersion: Handler<'live.version'> = (_input, ctx) => {
  const live = ctx.store.repos.live;
  return { version: ctx.user!.role === 'collector' ? live.collectorVersion(ctx.user!.id) : live.officeVersion() };
};

export const sessionHandlers = { 'sessions.list': list, 'sessions.end': end, 'live.version': liveVersion };

// "Serve this store to the office" from the desktop app: admins start and stop the team server's listener in
// the desktop's own backend (core/serving.ts); both are audited. Other hosts answer `available: false`.
import { isIP } from 'node:net';
import { ApiFailure } from '../../shared/contract/failure.js';
import type { ServeStatus } from '../../shared/contract/serve.js';
import { requireUser, type Ctx, type Handler } from '../context.js';

/**
 * The listener this call may start and stop: none for a call that came through it (a desk — judged as a
 * team-server call, core/serving.ts hostOfCall) as on every host but the desktop. A desk's stop would also wait
 * for its own connection to close until the grace cut it.
 */
const servingFor = (ctx: Ctx) => (ctx.host === 'server' ? null : (ctx.serving ?? null));

function status(ctx: Ctx): ServeStatus {
  const serving = servingFor(ctx);
  const state = serving?.state() ?? null;
  const remembered = serving?.remembered() ?? null;
  return {
    available: serving !== null,
    serving: state !== null,
    listen: state?.listen ?? null,
    urls: state?.urls ?? [],
    fingerprint: state?.fingerprint ?? null,
    certPath: state?.certPath ?? null,
    since: state?.since ?? null,
    startedBy: state?.startedBy ?? null,
    connected: state ? ctx.sessions.list().filter((s) => s.from !== '').length : 0,
    autoStart: remembered?.autoStart ?? false,
    lastListen: remembered?.listen ?? null,
  };
}

function servingOf(ctx: Ctx) {
  const serving = servingFor(ctx);
  if (!serving) throw new ApiFailure('FORBIDDEN', 'Serving the store to the office is started from the desktop app on the computer that holds the store.');
  return serving;
}

const start: Handler<'serve.start'> = async (input, ctx) => {
  const serving = servingOf(ctx);
  const user = requireUser(ctx);
  if (serving.state()) throw new ApiFailure('CONFLICT', 'This store is already served to the office: stop it first to change the address.');
  if (isIP(input.host) === 0) throw new ApiFailure('BAD_INPUT', `Not an address of this computer: ${input.host} (e.g. 0.0.0.0 for all of them).`);
  const listen = { host: input.host, port: input.port };
  const state = await serving.start(listen, user.username);
  serving.remember(listen, input.autoStart);
  ctx.store.repos.db.transaction(() => ctx.audit('serve.start', 'store', null, { listen: `${listen.host}:${state.listen.port}`, fingerprint: state.fingerprint, autoStart: input.autoStart }))();
  return status(ctx);
};

const stop: Handler<'serve.stop'> = async (_input, ctx) => {
  const serving = servingOf(ctx);
  const state = serving.state();
  if (!state) return status(ctx);
  const connected = ctx.sessions.list().filter((s) => s.from !== '').length;
  await serving.stop();
  // Stopped by hand: not served again at the next login (closing the app keeps the choice).
  serving.remember(state.listen, false);
  ctx.store.repos.db.transaction(() => ctx.audit('serve.stop', 'store', null, { listen: `${state.listen.host}:${state.listen.port}`, sessionsEnded: connected }))();
  return status(ctx);
};

const get: Handler<'serve.status'> = (_input, ctx) => status(ctx);

export const serveHandlers = { 'serve.status': get, 'serve.start': start, 'serve.stop': stop };

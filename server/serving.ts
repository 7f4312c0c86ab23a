// "Serve this store to the office" from the desktop app: the team server's HTTPS listener (server/app.ts)
// opened inside the desktop's own backend process, over the SAME backend object — the store stays opened by
// one process, and the desktop's user keeps working through it while the desks connect. Core starts and
// stops it through `serve.*` (core/serving.ts: admins only, audited); this file is the host half.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { Backend } from '../core/backend.js';
import type { ServingState, TeamServing } from '../core/serving.js';
import { ApiFailure } from '../shared/contract/failure.js';
import type { Envelope } from '../shared/contract/envelope.js';
import { listenSchema, type Listen } from '../shared/contract/serve.js';
import { createTeamServer, type TeamServer } from './app.js';
import { loadTlsIdentity } from './tls.js';

export const SERVE_FILE = 'serve.json';
const rememberedSchema = z.object({ listen: listenSchema, autoStart: z.boolean() }).strict();

/** This computer's LAN IPv4 addresses (not loopback), in the order the system lists them. */
export function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
  return out;
}

/** The addresses to give the desks: every LAN address when listening on all of them, else the one listened on. */
export function serverUrls(host: string, port: number): string[] {
  if (host === '0.0.0.0' || host === '::') {
    const lan = lanAddresses();
    return (lan.length ? lan : ['127.0.0.1']).map((a) => `https://${a}:${port}`);
  }
  return [`https://${host.includes(':') ? `[${host}]` : host}:${port}`];
}

export interface ServingOptions {
  /** The backend the listener serves (the desktop's own; given late: it is created with this object). */
  backend: () => Backend;
  storeDir: string;
  /** The built UI (dist/renderer), served to browsers as by `agencydesk serve`. */
  staticDir: string;
  /** How long running calls may finish when serving stops before their connections are cut. */
  graceMs?: number;
  log?: (message: string) => void;
}

export interface Serving extends TeamServing {
  /** The backend process is closing: cut the listener now (its calls would meet a closed store). */
  closeNow(): void;
}

export function createServing(opts: ServingOptions): Serving {
  const log = opts.log ?? ((m: string) => console.error(m));
  const file = path.join(opts.storeDir, SERVE_FILE);
  let running: { server: TeamServer; state: ServingState; lifetimeBefore: number } | null = null;
  let changing = false;

  async function start(listen: Listen, by: string): Promise<ServingState> {
    if (running || changing) throw new ApiFailure('CONFLICT', 'Serving is already starting or running.');
    changing = true;
    const backend = opts.backend();
    const lifetimeBefore = backend.sessions.maxLifetimeMs;
    let server: TeamServer | null = null;
    try {
      // The same certificate as `agencydesk serve` on this store (made at the first serve, kept in the store folder).
      const tls = await loadTlsIdentity(opts.storeDir);
      server = await createTeamServer({ backend, tls, staticDir: opts.staticDir, unlocked: true });
      const address = await server.app.listen({ host: listen.host, port: listen.port });
      const port = Number(new URL(address).port);
      // The desks keep working when this computer's own user logs out or its screen locks after inactivity.
      backend.holdStoreOpen(true);
      const state: ServingState = { listen: { host: listen.host, port }, urls: serverUrls(listen.host, port), fingerprint: tls.fingerprint, certPath: tls.certPath, since: new Date().toISOString(), startedBy: by };
      running = { server, state, lifetimeBefore };
      log(`[agencydesk] serving this store to the office at ${state.urls.join(', ')} (SHA-256 ${tls.fingerprint})`);
      return state;
    } catch (e) {
      backend.sessions.maxLifetimeMs = lifetimeBefore;
      await server?.app.close().catch(() => {});
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new ApiFailure('CONFLICT', `Port ${listen.port} is already in use on this computer (another AgencyDesk server or program): choose another port.`);
      if (code === 'EADDRNOTAVAIL') throw new ApiFailure('BAD_INPUT', `${listen.host} is not an address of this computer.`);
      if (code === 'EACCES') throw new ApiFailure('FORBIDDEN', `This computer does not let AgencyDesk listen on port ${listen.port}: choose one above 1024, e.g. 8443.`);
      throw e;
    } finally {
      changing = false;
    }
  }

  async function stop(): Promise<void> {
    if (!running || changing) return;
    changing = true;
    const { server, lifetimeBefore } = running;
    const backend = opts.backend();
    try {
      // Running calls finish (new ones on open connections get 503) for at most graceMs, then are cut.
      const cut = setTimeout(() => server.app.server.closeAllConnections(), opts.graceMs ?? 5_000);
      cut.unref();
      await server.app.close().finally(() => clearTimeout(cut));
      // The desks' sessions end with the listener: a token must not come back to life at the next start.
      for (const s of backend.sessions.list()) if (s.from !== '') backend.sessions.deleteById(s.id);
      backend.sessions.maxLifetimeMs = lifetimeBefore;
      backend.holdStoreOpen(false);
      log('[agencydesk] stopped serving this store to the office');
    } finally {
      running = null;
      changing = false;
    }
  }

  return {
    state: () => running?.state ?? null,
    start,
    stop,
    remembered() {
      if (!existsSync(file)) return null;
      try {
        return rememberedSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        return null;
      }
    },
    remember(listen, autoStart) {
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ listen, autoStart }, null, 2), { mode: 0o600 });
      renameSync(tmp, file);
    },
    closeNow() {
      if (!running) return;
      const { server, lifetimeBefore } = running;
      running = null;
      opts.backend().sessions.maxLifetimeMs = lifetimeBefore;
      // The refused logins into the audit log now, while the store is open (the write runs before the first await;
      // the backend closes right after this returns, before Fastify's onClose hook would).
      void server.flushRefusals();
      // Stop accepting at once (Fastify's close runs its hooks first), then cut the open connections.
      server.app.server.close();
      server.app.server.closeAllConnections();
      void server.app.close().catch(() => {});
    },
  };
}

type Dispatch = Backend['dispatch'];

/**
 * The desktop's dispatch with the remembered choice applied: when an administrator logs in on this computer
 * and "serve again" is on, serving starts as that administrator (permission-checked and audited as by hand).
 * Only the desktop's own logins pass here; the desks' logins reach the backend through the listener.
 */
export function withAutoServe(dispatch: Dispatch, serving: TeamServing, log: (m: string) => void = (m) => console.error(m)): Dispatch {
  return async (method, input, meta) => {
    const env = await dispatch(method, input, meta);
    if (method !== 'auth.login' || !env.ok) return env;
    const login = env.value as { token: string; user: { role: string } };
    const r = serving.remembered();
    if (login.user.role !== 'admin' || !r?.autoStart || serving.state()) return env;
    const started: Envelope<unknown> = await dispatch('serve.start', { ...r.listen, autoStart: true }, { session: login.token });
    if (!started.ok) log(`[agencydesk] could not serve this store again at ${r.listen.host}:${r.listen.port}: ${started.error.message}`);
    return env;
  };
}

// `agencydesk serve`: the team server. One machine in the office holds the store; every desk and browser
// connects to it over TLS. It starts locked: an administrator unlocks it here (prompt, or
// AGENCYDESK_USER/AGENCYDESK_PASSWORD for a service manager), or by logging in from a browser.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { X509Certificate } from 'node:crypto';
import { createBackend } from '../core/backend.js';
import { storeLocationWarnings } from '../core/services/backup.js';
import { ApiFailure } from '../shared/contract/failure.js';
import { createTeamServer } from '../server/app.js';
import { loadTlsIdentity } from '../server/tls.js';
import { serverUrls } from '../server/serving.js';
import { DEFAULT_UPLOAD_QUOTA_BYTES } from '../server/upload-quota.js';
import { promptSecret } from './prompt.js';
import { CliError } from './session.js';

type Opts = Record<string, string | boolean | undefined>;

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) throw new CliError({ code: 'BAD_INPUT', message: `--listen: expected HOST:PORT (e.g. 0.0.0.0:8443), got ${text}` });
  const port = Number(m[3]);
  if (port > 65535) throw new CliError({ code: 'BAD_INPUT', message: `--listen: port ${port} is out of range` });
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}


function positive(v: string | boolean | undefined, name: string, fallback: number): number {
  if (typeof v !== 'string') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new CliError({ code: 'BAD_INPUT', message: `${name}: expected a positive number, got ${v}` });
  return n;
}

/** Why `serve` could not listen on host:port, or null (checked by listening and closing at once). */
function canListen(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => {
      const at = `${host}:${port}`;
      if (e.code === 'EADDRINUSE') resolve(`Port ${port} is already in use on this machine (another AgencyDesk server or program) — ${at}.`);
      else if (e.code === 'EADDRNOTAVAIL') resolve(`${host} is not an address of this machine.`);
      else if (e.code === 'EACCES') resolve(`This account may not listen on port ${port}: use one above 1024 (e.g. 8443) or grant the capability.`);
      else resolve(`Cannot listen on ${at}: ${e.message}`);
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(null)));
  });
}

const staticDir = () => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../renderer');

export async function serve(storeDir: string, o: Opts, env: NodeJS.ProcessEnv): Promise<number> {
  const { host, port } = parseListen(typeof o.listen === 'string' ? o.listen : '0.0.0.0:8443');
  const cert = typeof o.cert === 'string' ? o.cert : undefined;
  const key = typeof o.key === 'string' ? o.key : undefined;
  if ((cert === undefined) !== (key === undefined)) throw new CliError({ code: 'BAD_INPUT', message: '--cert and --key go together (PEM files).' });
  if (!existsSync(path.join(storeDir, 'agency.db'))) throw new CliError({ code: 'NOT_INITIALIZED', message: `No store in ${storeDir}: run \`agencydesk init --store ${storeDir}\` first.` });
  const tls = await loadTlsIdentity(storeDir, cert && key ? { cert, key } : undefined);
  const json = o.json === true;
  const validTo = new Date(new X509Certificate(tls.cert).validTo);
  const expired = validTo.getTime() <= Date.now() ? `The certificate ${tls.certPath} expired on ${validTo.toISOString().slice(0, 10)}: browsers refuse it. Renew it (or delete DIR/tls to make a new self-signed one, then give the desks its fingerprint).` : null;
  if (o.check === true) {
    // Configuration only: the store exists, the certificate loads, matches its key and is in date, the address
    // can be listened on, the UI is built. Nothing is left listening.
    const ui = existsSync(path.join(staticDir(), 'index.html'));
    const problems = [...(expired ? [expired] : []), ...(ui ? [] : ['The UI is not built: run npm run build.'])];
    const bind = await canListen(host, port);
    if (bind) problems.push(bind);
    const listen = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const report = { store: storeDir, certificate: tls.certPath, fingerprint: tls.fingerprint, selfSigned: tls.selfSigned, validTo: validTo.toISOString(), listen, ui, problems };
    console.log(
      json
        ? JSON.stringify(report)
        : [`store:        ${storeDir}`, `certificate:  ${tls.certPath}${tls.selfSigned ? ' (self-signed)' : ''}, valid until ${report.validTo.slice(0, 10)}`, `fingerprint:  SHA256 ${tls.fingerprint}`, `listen:       ${listen}`, `UI built:     ${ui ? 'yes' : 'no'}`, ...problems.map((p) => `problem:      ${p}`)].join('\n'),
    );
    return problems.length ? 1 : 0;
  }
  if (expired) console.error(`agencydesk serve: warning: ${expired}`);

  // A store on a network share or in a sync client's folder is copied file by file while it is written.
  for (const w of storeLocationWarnings(storeDir)) console.error(`agencydesk serve: warning: the store sits on a network share or in a cloud-sync folder (${w}); keep it on a local disk and send backups to the share.`);
  // The address is known once listening; the admins' screen reads it through this object.
  const serverInfo = { url: '', fingerprint: tls.fingerprint };
  const backend = createBackend({ storeDir, host: 'server', serverInfo, anchorDir: process.env.AGENCYDESK_ANCHOR_DIR || null });
  const server = await createTeamServer({
    backend,
    tls,
    staticDir: staticDir(),
    logger: typeof o.log === 'string' ? { level: 'info', file: o.log, maxBytes: positive(o['log-size'], '--log-size', 10) * 2 ** 20, keep: positive(o['log-keep'], '--log-keep', 9) } : false,
    uploadQuotaBytes: positive(o['upload-quota'], '--upload-quota', DEFAULT_UPLOAD_QUOTA_BYTES / 2 ** 20) * 2 ** 20,
    onUnlocked: (by) => console.error(`agencydesk serve: unlocked by ${by}.`),
  });
  const address = await server.app.listen({ host, port });
  // The address to give the desks (the first LAN address when listening on all): as the desktop app shows it.
  const url = serverUrls(host, Number(new URL(address).port))[0]!;
  serverInfo.url = url;
  if (json) console.log(JSON.stringify({ url, fingerprint: tls.fingerprint }));
  else {
    console.log(`AgencyDesk team server: ${url}`);
    console.log(`Certificate SHA-256 fingerprint: ${tls.fingerprint}`);
    console.log('Give both to each desk; they compare the fingerprint before logging in.');
  }

  if (env.AGENCYDESK_PASSWORD) {
    try {
      await server.unlockWith(env.AGENCYDESK_USER ?? 'admin', env.AGENCYDESK_PASSWORD);
    } catch (e) {
      console.error(`agencydesk serve: could not unlock: ${e instanceof ApiFailure ? `${e.code}: ${e.message}` : (e as Error).message}`);
    }
  } else if (process.stdin.isTTY) {
    const username = env.AGENCYDESK_USER ?? 'admin';
    for (let i = 0; i < 3 && !server.unlocked; i++) {
      try {
        await server.unlockWith(username, await promptSecret(`Unlock: password for ${username}: `));
      } catch (e) {
        console.error(`agencydesk serve: ${e instanceof ApiFailure ? e.message : (e as Error).message}`);
      }
    }
  } else if (!json) console.error('agencydesk serve: locked. An administrator unlocks it by logging in from a browser.');

  // Graceful shutdown (SIGTERM from a service manager, Ctrl-C): stop taking connections and cancel running
  // imports (their transactions roll back); running calls finish (new calls on open connections get 503), for
  // at most AGENCYDESK_SHUTDOWN_GRACE_MS (30 s) before their connections are cut; a running backup finishes;
  // the WAL is checkpointed and the store closed (key wiped). A second signal exits at once (crash-safe).
  const graceMs = Number(env.AGENCYDESK_SHUTDOWN_GRACE_MS ?? 30_000);
  return new Promise<number>((resolve) => {
    let closing = false;
    const stop = (signal: string) => {
      if (closing) {
        console.error(`agencydesk serve: ${signal} again: exiting now.`);
        process.exit(1);
      }
      closing = true;
      console.error(`agencydesk serve: ${signal}: stopping — running calls finish, running imports are cancelled.`);
      const cut = setTimeout(() => server.app.server.closeAllConnections(), graceMs);
      cut.unref();
      const t0 = Date.now();
      // Background imports do not hold the shutdown up: cancelled now, while the calls in flight finish.
      void backend.stopJobs();
      void server.app
        .close()
        .catch((e: unknown) => console.error(`agencydesk serve: closing the listener: ${(e as Error).message}`))
        .then(() => backend.shutdown())
        .then(
          () => {
            console.error(`agencydesk serve: stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s; the store is closed.`);
            resolve(0);
          },
          (e: unknown) => {
            console.error(`agencydesk serve: closing the store: ${(e as Error).message}`);
            resolve(1);
          },
        )
        .finally(() => {
          clearTimeout(cut);
          // Nothing of ours is left to wait for; a stray handle must not keep a stopped server alive.
          setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
        });
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

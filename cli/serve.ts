// `agencydesk serve`: the team server. One machine in the office holds the store; every desk and browser
// connects to it over TLS. It starts locked: an administrator unlocks it here (prompt, or
// AGENCYDESK_USER/AGENCYDESK_PASSWORD for a service manager), or by logging in from a browser.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { createBackend } from '../core/backend.js';
import { ApiFailure } from '../shared/contract/failure.js';
import { createTeamServer } from '../server/app.js';
import { loadTlsIdentity } from '../server/tls.js';
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

/** The address to give the desks: this machine's LAN address when listening on all of them. */
function publicHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return host.includes(':') ? `[${host}]` : host;
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
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
  if (o.check === true) {
    // Configuration only: the store exists, the certificate loads, the UI is built. Nothing listens.
    const ui = existsSync(path.join(staticDir(), 'index.html'));
    const report = { store: storeDir, certificate: tls.certPath, fingerprint: tls.fingerprint, selfSigned: tls.selfSigned, ui };
    console.log(json ? JSON.stringify(report) : `store:        ${storeDir}\ncertificate:  ${tls.certPath}${tls.selfSigned ? ' (self-signed)' : ''}\nfingerprint:  SHA256 ${tls.fingerprint}\nUI built:     ${ui ? 'yes' : 'no (run npm run build)'}`);
    return ui ? 0 : 1;
  }

  // The address is known once listening; the admins' screen reads it through this object.
  const serverInfo = { url: '', fingerprint: tls.fingerprint };
  const backend = createBackend({ storeDir, host: 'server', serverInfo });
  const server = await createTeamServer({
    backend,
    tls,
    staticDir: staticDir(),
    logger: typeof o.log === 'string' ? { level: 'info', file: o.log } : false,
    onUnlocked: (by) => console.error(`agencydesk serve: unlocked by ${by}.`),
  });
  const address = await server.app.listen({ host, port });
  const url = `https://${publicHost(host)}:${new URL(address).port}`;
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

  // Graceful shutdown: stop taking calls, let running ones finish, close the store (checkpoint, key wiped).
  return new Promise<number>((resolve) => {
    let closing = false;
    const stop = () => {
      if (closing) return;
      closing = true;
      void server.app.close().finally(() => {
        backend.close();
        resolve(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

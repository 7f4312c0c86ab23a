// Issue 16's test "a write during a bulk import is neither lost nor INTERNAL", over the network: a team server
// on real TLS imports a large placement file that a manager uploaded, while a collector's desk (the desktop's
// pinned forwarder under the page's own API client, which resends BUSY) logs contact attempts. Every attempt is
// answered saved or BUSY — never INTERNAL, never another error — and afterwards the store holds exactly the
// attempts the desk was told were saved.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend, type Backend } from '../../core/backend.js';
import { createTeamServer, type TeamServer } from '../../server/app.js';
import { loadTlsIdentity } from '../../server/tls.js';
import { createOfficeForwarder, type OfficeForwarder } from '../../electron/office-server.js';
import { createApi, ApiCallError, type Api } from '../../renderer/api/client.js';
import { ADMIN_PASSWORD, makeStore, removeDir, tempDir } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { importFile } from '../helpers/import.js';
import type { ApiRequest, Envelope } from '../../shared/contract/envelope.js';

const PW = 'collector password 1';
let dir: string;
let backend: Backend;
let server: TeamServer;
let origin: string;
let fingerprint: string;
let caseId = 0;
let lenderId = 0;

beforeAll(async () => {
  dir = tempDir();
  const s = await makeStore({ storeDir: dir });
  const team = await s.admin.call('teams.create', { name: 'A组' });
  await s.admin.call('users.create', { username: 'li', displayName: '李', role: 'collector', teamId: team.id, password: PW });
  lenderId = (await s.admin.call('lenders.create', { code: 'BULK', name: '大批量' })).id;
  const small = path.join(dir, 'small.csv');
  writeFileSync(small, toCsv([PLACEMENT_HEADERS, ...makeRows(2, 1, { caseNoPrefix: 'SM' })]));
  expect((await importFile(s.admin, lenderId, small)).state).toBe('done');
  const li = (await s.admin.call('users.list', {})).users.find((u) => u.username === 'li')!;
  caseId = (await s.admin.call('cases.list', { limit: 1 })).rows[0]!.id;
  await s.admin.call('assign.manual', { caseIds: [caseId], collectorId: li.id });
  s.close();

  // The server as `agencydesk serve` makes it (its default pool of heavy-call workers, its sweeper).
  backend = createBackend({ storeDir: dir, host: 'server' });
  const tls = await loadTlsIdentity(dir);
  fingerprint = tls.fingerprint;
  server = await createTeamServer({ backend, tls, staticDir: path.resolve('dist/renderer') });
  origin = `https://127.0.0.1:${new URL(await server.app.listen({ host: '127.0.0.1', port: 0 })).port}`;
  await server.unlockWith('admin', ADMIN_PASSWORD);
}, 120_000);

afterAll(async () => {
  await server?.app.close();
  backend?.close();
  if (dir) removeDir(dir);
});

/** A desk: the pinned forwarder under the page's API client, logged in as `username`. */
async function desk(f: OfficeForwarder, username: string, password: string, seen: string[]): Promise<Api> {
  let session: string | undefined;
  const api = createApi({
    transport: {
      kind: 'desktop',
      send: async (r: ApiRequest) => {
        const t0 = performance.now();
        const env: Envelope<unknown> = await f.forward(r);
        // A write the server queued behind the import's lock (core/backend.ts) comes back late but saved.
        seen.push(env.ok ? (r.method === 'contacts.log' && performance.now() - t0 > 1_000 ? 'ok-queued' : 'ok') : env.error.code);
        return env;
      },
      stageFile: () => Promise.reject(new Error('not used')),
      downloadPackage: () => Promise.reject(new Error('not used')),
    },
    getSession: () => session,
    onSessionLost: () => {},
    onTokenRejected: () => {},
  });
  session = (await api.call('auth.login', { username, password })).token;
  return api;
}

describe('a write during a bulk import, over the network', () => {
  it('is saved (queued behind the lock) or answered BUSY (and then not saved) — never INTERNAL, never lost', async () => {
    const mgrF = createOfficeForwarder({ url: origin, fingerprint });
    const liF = createOfficeForwarder({ url: origin, fingerprint });
    const wire: string[] = [];
    try {
      const mgrLogin = await mgrF.forward({ method: 'auth.login', input: { username: 'admin', password: ADMIN_PASSWORD } });
      const mgr = (mgrLogin as { value: { token: string } }).value.token;
      const li = await desk(liF, 'li', PW, wire);

      const big = path.join(dir, 'big.csv');
      writeFileSync(big, toCsv([PLACEMENT_HEADERS, ...makeRows(150_000, 7, { caseNoPrefix: 'BG' })]));
      const up = (await mgrF.upload(big, mgr)) as { ok: true; value: { uploadId: string } };
      expect(up.ok).toBe(true);
      const started = (await mgrF.forward({ method: 'import.start', input: { lenderId, file: { uploadId: up.value.uploadId, name: 'big.csv' } }, session: mgr })) as { ok: true; value: { jobId: number } };
      expect(started.ok).toBe(true);
      const state = async () => ((await mgrF.forward({ method: 'import.status', input: { jobId: started.value.jobId }, session: mgr })) as { value: { state: string } }).value.state;

      const saved: number[] = [];
      const refused: string[] = [];
      // Saved while the import was still writing (its load in parts, core/import/pipeline.ts): asked and answered while the job ran.
      let savedDuring = 0;
      let n = 0;
      for (const until = Date.now() + 240_000; Date.now() < until; n++) {
        try {
          saved.push((await li.call('contacts.log', { caseId, channel: 'email', outcome: 'no_answer', note: `attempt ${n}` })).id);
          if ((await state()) === 'running') savedDuring++;
        } catch (e) {
          refused.push(e instanceof ApiCallError ? e.code : String(e));
        }
        if ((await state()) !== 'running') break;
      }
      expect(await state()).toBe('done');
      // The desk's writes went on while the import wrote (else this test proved nothing); any that met its lock was
      // queued by the server until the lock was free, or answered BUSY after the queue's limit; nothing else.
      console.log(`writes during the import: ${savedDuring} saved, ${wire.filter((c) => c === 'ok-queued').length} of them queued over 1 s, ${wire.filter((c) => c === 'BUSY').length} BUSY on the wire`);
      expect(savedDuring, 'no write was saved while the import ran: the import was too quick to test against').toBeGreaterThan(5);
      expect(wire.filter((c) => c !== 'ok' && c !== 'ok-queued' && c !== 'BUSY')).toEqual([]);
      expect(refused.filter((c) => c !== 'BUSY')).toEqual([]);
      expect(saved.length).toBeGreaterThan(0);
      // Exactly what the desk was told was saved is in the store.
      const logged = (await li.call('contacts.list', { caseId })).attempts.map((a) => a.id);
      expect([...logged].sort((a, b) => a - b)).toEqual([...saved].sort((a, b) => a - b));
    } finally {
      mgrF.close();
      liF.close();
    }
  }, 300_000);
});

// The web host hands a report package to the browser as a .zip: GET /api/package/<id> with the token and
// the session, the written .zip as it is or a folder package zipped on the fly; both verify. Without the
// token, a session or the permission, nothing is sent; every download is audited.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createWebApp } from '../../web/app.js';
import { makeStore, removeDir, tempDir, login, type TestStore } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { verifyPackage } from '../../core/reports/verify.js';

let s: TestStore;
let files: string;
let server: Server;
let origin = '';
const TOKEN = 't'.repeat(43);
let folderId = 0;
let zipId = 0;

beforeAll(async () => {
  s = await makeStore({ now: () => new Date('2026-11-23T10:00:00+08:00') });
  files = tempDir('agencydesk-web-download-');
  const lenderId = (await s.admin.call('lenders.create', { code: 'WEB', name: '网页贷' })).id;
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(5, 9)]));
  const { jobId } = await s.admin.call('import.start', { lenderId, file: { path: file }, placementDate: '2026-11-01', batchNo: 'WEB-1' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  const batchId = (await s.admin.call('batches.list', { lenderId })).batches[0]!.id;
  folderId = (await s.admin.call('reports.export', { lenderId, batchId, formats: ['csv'] })).exportId;
  zipId = (await s.admin.call('reports.export', { lenderId, batchId, formats: ['xlsx'], zip: true })).exportId;
  await s.admin.call('users.create', { username: 'c1', displayName: 'C1', role: 'collector', password: 'collector pw 1' });
  let port = 0;
  const handle = createWebApp({ backend: s.backend, token: TOKEN, staticDir: files, port: () => port });
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  origin = `http://127.0.0.1:${port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((r) => server.close(r));
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

const get = (id: number, headers: Record<string, string>) => fetch(`${origin}/api/package/${id}`, { headers });

describe('GET /api/package/<id>', () => {
  it('sends a folder package zipped on the fly and a .zip package as written; both verify', async () => {
    for (const id of [folderId, zipId]) {
      const r = await get(id, { 'X-AgencyDesk-Token': TOKEN, 'X-AgencyDesk-Session': s.admin.token! });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/zip');
      const name = /filename="([^"]+)"/.exec(r.headers.get('content-disposition') ?? '')![1]!;
      expect(name).toMatch(/^WEB-WEB-1-\d{8}T\d{6}(-\d+)?\.zip$/);
      const saved = path.join(files, `dl-${id}-${name}`);
      writeFileSync(saved, Buffer.from(await r.arrayBuffer()));
      const v = await verifyPackage(saved);
      expect(v.failures).toEqual([]);
      expect(v.valid).toBe(true);
      expect(v.files.map((f) => f.name)).toContain(id === folderId ? 'status-report.csv' : 'status-report.xlsx');
    }
    const audit = (await s.admin.call('audit.list', { action: 'reports.download', limit: 10 })).entries;
    expect(audit.map((e) => e.detail.exportId).sort()).toEqual([folderId, zipId].sort());
  });

  it('sends nothing without the token, a session or the permission, or for an unknown package', async () => {
    expect((await get(folderId, { 'X-AgencyDesk-Session': s.admin.token! })).status).toBe(401);
    const noSession = await get(folderId, { 'X-AgencyDesk-Token': TOKEN });
    expect(noSession.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await noSession.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const c1 = await login(s.backend, 'c1', 'collector pw 1');
    const refused = await get(folderId, { 'X-AgencyDesk-Token': TOKEN, 'X-AgencyDesk-Session': c1.token! });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await get(999, { 'X-AgencyDesk-Token': TOKEN, 'X-AgencyDesk-Session': s.admin.token! })).status).toBe(404);
    expect((await fetch(`${origin}/api/package/${folderId}`, { method: 'POST', headers: { 'X-AgencyDesk-Token': TOKEN } })).status).toBe(405);
  });
});

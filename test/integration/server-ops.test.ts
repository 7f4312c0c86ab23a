// Team-server operations over real TLS on 127.0.0.1 (certificate pinned): the log file is rotated and holds
// no personal data and no secrets; uploads are capped per purpose and per user, and a refused upload leaves
// nothing on disk.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import https from 'node:https';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createBackend, type Backend } from '../../core/backend.js';
import { createTeamServer, SESSION_COOKIE, type TeamServer } from '../../server/app.js';
import { loadTlsIdentity } from '../../server/tls.js';
import { pinnedAgent, pinnedRequest } from '../../remote/pinned-https.js';
import { ADMIN_PASSWORD, makeStore, removeDir, tempDir } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let dir: string;
let backend: Backend;
let server: TeamServer;
let origin: string;
let agent: https.Agent;
const logFile = () => path.join(dir, 'logs', 'server.log');
const COLLECTOR_PW = 'collector password 1';
const QUOTA = 1024 * 1024;

beforeAll(async () => {
  dir = tempDir();
  const s = await makeStore({ storeDir: dir });
  const team = await s.admin.call('teams.create', { name: 'A组' });
  await s.admin.call('users.create', { username: 'li', displayName: 'li', role: 'collector', teamId: team.id, password: COLLECTOR_PW });
  await s.admin.call('lenders.create', { code: 'PAYD', name: '平安i贷' });
  s.close();
  backend = createBackend({ storeDir: dir, host: 'server', sweepEveryMs: 0 });
  const tls = await loadTlsIdentity(dir);
  // A small log file, so a few calls rotate it; a 1 MB quota, so small files reach it.
  server = await createTeamServer({ backend, tls, staticDir: path.resolve('dist/renderer'), logger: { level: 'info', file: logFile(), maxBytes: 8 * 1024, keep: 3 }, uploadQuotaBytes: QUOTA });
  origin = `https://127.0.0.1:${new URL(await server.app.listen({ host: '127.0.0.1', port: 0 })).port}`;
  agent = pinnedAgent(tls.fingerprint);
  await server.unlockWith('admin', ADMIN_PASSWORD);
}, 120_000);

afterAll(async () => {
  agent?.destroy();
  await server?.app.close();
  backend?.close();
  removeDir(dir);
});

type Env = { ok: boolean; value?: any; error?: { code: string; message: string; key?: string; params?: Record<string, unknown> } };
async function call(method: string, input: unknown, h: Record<string, string> = {}, raw?: string) {
  const res = await pinnedRequest(agent, `${origin}/api/call`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...h }, body: raw ?? JSON.stringify({ method, input }) });
  return { status: res.status, headers: res.headers, env: JSON.parse(res.body.toString()) as Env };
}
async function bearer(username: string, password: string): Promise<string> {
  const r = await call('auth.login', { username, password }, { 'X-AgencyDesk-Auth': 'bearer' });
  if (!r.env.ok) throw new Error(JSON.stringify(r.env.error));
  return r.env.value.token as string;
}
/** Streams `body` in chunks without a Content-Length (as a browser's ReadableStream would), or declares it. */
async function upload(token: string, body: Buffer, o: { purpose?: string; declare?: boolean } = {}) {
  return new Promise<{ status: number; env: Env }>((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${token}` };
    if (o.purpose) headers['X-AgencyDesk-Upload-Purpose'] = o.purpose;
    if (o.declare) headers['Content-Length'] = String(body.length);
    const req = https.request(`${origin}/api/upload`, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, env: JSON.parse(Buffer.concat(chunks).toString()) as Env }));
    });
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
    req.end();
  });
}
const uploadsOnDisk = () => {
  try {
    return readdirSync(path.join(dir, 'uploads'));
  } catch {
    return [];
  }
};

describe('team server operations', () => {
  it('logs to a rotated file with no personal data, passwords, tokens or cookies', async () => {
    const rows = makeRows(40, 7);
    const csv = toCsv([PLACEMENT_HEADERS, ...rows]);
    const token = await bearer('admin', ADMIN_PASSWORD);
    // A browser login too: its cookie and CSRF token must not reach the log either.
    const web = await call('auth.login', { username: 'admin', password: ADMIN_PASSWORD }, { Origin: origin });
    const cookie = ([] as string[]).concat(web.headers['set-cookie'] ?? []).find((c) => c.startsWith(SESSION_COOKIE))!.split(';')[0]!.split('=')[1]!;
    const csrf = web.env.value.token as string;
    expect((await call('auth.login', { username: 'li', password: 'wrong password 13912345678' }, { 'X-AgencyDesk-Auth': 'bearer' })).env.ok).toBe(false);
    // An import through the upload route.
    const up = await upload(token, Buffer.from(csv), { purpose: 'placement', declare: true });
    expect(up.env.ok).toBe(true);
    const lenders = await call('lenders.list', {}, { Authorization: `Bearer ${token}` });
    const started = await call('import.start', { lenderId: lenders.env.value.lenders[0].id, file: { uploadId: up.env.value.uploadId, name: 'p.csv' } }, { Authorization: `Bearer ${token}` });
    expect(started.env.ok).toBe(true);
    for (;;) {
      const j = await call('import.status', { jobId: started.env.value.jobId }, { Authorization: `Bearer ${token}` });
      if (j.env.value.state !== 'running') {
        expect(j.env.value.state).toBe('done');
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    // A call with a phone number, a search by one, a refusal naming one, a body that is not JSON quoting one.
    const phone = rows[3]![3]!;
    // The search rows (尾号) are written just after the import reports done.
    let list = await call('cases.list', { q: phone }, { Authorization: `Bearer ${token}` });
    for (const until = Date.now() + 30_000; list.env.value.total === 0 && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 200));
      list = await call('cases.list', { q: phone }, { Authorization: `Bearer ${token}` });
    }
    expect(list.env.value.total).toBe(1);
    const caseId = list.env.value.rows[0].id as number;
    // Inbound (the borrower rang): no calling-hours rule, so the test passes at any hour of the day.
    const logged = await call('contacts.log', { caseId, channel: 'phone', direction: 'inbound', outcome: 'no_answer', note: `called ${phone}, then ${rows[4]![3]}` }, { Authorization: `Bearer ${token}` });
    expect(logged.env.error ?? null).toBeNull();
    await call('cases.list', { q: rows[5]![1] }, { Cookie: `${SESSION_COOKIE}=${cookie}`, Origin: origin }, JSON.stringify({ method: 'cases.list', input: { q: rows[5]![1] }, session: csrf }));
    await call('cases.get', { id: 999_999, note: rows[6]![2] }, { Authorization: `Bearer ${token}` });
    expect((await call('x', {}, {}, `{"method":"cases.list","input":{"q":"${rows[7]![3]}"`)).status).toBe(400);
    await pinnedRequest(agent, `${origin}/${rows[8]![3]}?id=${rows[8]![2]}`, { method: 'GET' });
    for (let i = 0; i < 60; i++) await call('system.status', {});

    const files = readdirSync(path.dirname(logFile())).sort();
    // Rotated: the live file and at most `keep` older ones, none much past the size.
    expect(files).toEqual(['server.log', 'server.log.1', 'server.log.2', 'server.log.3']);
    const text = files.map((f) => readFileSync(path.join(path.dirname(logFile()), f), 'utf8')).join('');
    for (const f of files) expect(readFileSync(path.join(path.dirname(logFile()), f)).length).toBeLessThanOrEqual(8 * 1024);
    expect(text).toMatch(/"call":"cases.get"/); // it does log: methods, codes, paths
    expect(text).toMatch(/incoming request/);
    const secrets = [ADMIN_PASSWORD, 'wrong password', token, cookie, csrf];
    const personal = rows.flatMap((r) => [r[1]!, r[2]!, r[3]!, r[15]!, r[16]!, r[18]!]);
    for (const s of [...secrets, ...personal]) expect(text.includes(s), `the log holds ${s}`).toBe(false);
    // Nothing that looks like a phone or an ID number at all.
    expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    expect(text).not.toMatch(/(?<!\d)\d{17}[\dX](?!\d)/);
  });

  it('caps uploads per purpose and per user; a refused upload leaves nothing on disk', async () => {
    const li = await bearer('li', COLLECTOR_PW);
    const admin = await bearer('admin', ADMIN_PASSWORD);
    const before = uploadsOnDisk();
    const part = Buffer.alloc(600 * 1024, 'a');
    const first = await upload(li, part, { purpose: 'case-file' });
    expect(first.env.ok).toBe(true);
    // Streamed (no declared size): refused once the bytes pass the quota, the partial file removed.
    const second = await upload(li, part, { purpose: 'case-file' });
    expect(second.status).toBe(413);
    expect(second.env.error).toMatchObject({ code: 'BAD_INPUT', key: 'uploadQuota', params: { quotaMb: 1 } });
    expect(second.env.error!.message).toMatch(/quota of 1 MB/);
    // Declared: refused before a byte is written.
    const declared = await upload(li, part, { purpose: 'case-file', declare: true });
    expect(declared.status).toBe(413);
    expect(declared.env.error!.key).toBe('uploadQuota');
    expect(uploadsOnDisk().sort()).toEqual([...before, first.env.value.uploadId].sort());
    // The quota is per user: the administrator still has theirs.
    const adminUp = await upload(admin, part, { purpose: 'case-file' });
    expect(adminUp.env.ok).toBe(true);
    // Once li's upload is gone (used, or swept), li may upload again.
    const { removeUpload } = await import('../../core/import/uploads.js');
    removeUpload(dir, first.env.value.uploadId);
    expect((await upload(li, part, { purpose: 'case-file' })).env.ok).toBe(true);
  });

  it('caps each purpose at its own size; an unknown purpose is refused', async () => {
    const admin = await bearer('admin', ADMIN_PASSWORD);
    const before = uploadsOnDisk();
    // Case files stop at 20 MB whatever the quota (checked before the quota: over 1 MB either way here).
    const big = await upload(admin, Buffer.alloc(21 * 1024 * 1024, 'b'), { purpose: 'case-file', declare: true });
    expect(big.status).toBe(413);
    expect(big.env.error).toMatchObject({ key: 'uploadTooLarge', params: { mb: 20 } });
    const odd = await upload(admin, Buffer.from('x'), { purpose: 'anything' });
    expect(odd.status).toBe(400);
    expect(uploadsOnDisk()).toEqual(before);
  });
});

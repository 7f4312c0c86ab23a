// The loopback web host: the real server process, its token, Host and Origin checks, and a call through it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startWebHost, type WebHost } from '../helpers/web-host.js';
import { removeDir, tempDir } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

let host: WebHost;
let dir: string;
beforeAll(async () => {
  dir = tempDir();
  host = await startWebHost(dir);
});
afterAll(async () => {
  await host.stop();
  removeDir(dir);
});

const call = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${host.origin}/api/call`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('web host', () => {
  it('listens on 127.0.0.1 only and prints a link carrying the token in the fragment', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
  });

  it('serves the UI with a strict CSP', async () => {
    const r = await fetch(`${host.origin}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(await r.text()).toMatch(/<div id="root">/);
  });

  it('refuses calls without the token, with a wrong token, from another origin or Host', async () => {
    expect((await call({ method: 'system.status', input: {} })).status).toBe(401);
    expect((await call({ method: 'system.status', input: {} }, { 'X-AgencyDesk-Token': 'x'.repeat(43) })).status).toBe(401);
    expect((await call({ method: 'system.status', input: {} }, { 'X-AgencyDesk-Token': host.token, Origin: 'http://evil.example' })).status).toBe(403);
    const rebinding = await new Promise<number>((resolve) => {
      import('node:http').then(({ request }) => {
        const req = request(`${host.origin}/api/call`, { method: 'POST', headers: { Host: 'evil.example', 'X-AgencyDesk-Token': host.token, 'Content-Type': 'application/json' } }, (res) => resolve(res.statusCode ?? 0));
        req.end(JSON.stringify({ method: 'system.status', input: {} }));
      });
    });
    expect(rebinding).toBe(403);
  });

  it('validates input at the host and answers with the envelope', async () => {
    const headers = { 'X-AgencyDesk-Token': host.token };
    const bad = await (await call({ method: 'auth.login', input: { username: 1 } }, headers)).json();
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const notJson = await fetch(`${host.origin}/api/call`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    const status = await (await call({ method: 'system.status', input: {} }, headers)).json();
    expect(status).toMatchObject({ ok: true, value: { initialized: false, unlocked: false } });
  });
});

describe('web host imports', () => {
  it('takes files by upload only, and imports them', async () => {
    const headers = { 'X-AgencyDesk-Token': host.token };
    const post = async (method: string, input: unknown, session?: string) => (await call({ method, input, session }, headers)).json();
    await post('system.setup', { agencyName: 'Web', admin: { username: 'admin', displayName: 'A', password: 'web admin pw 1' } });
    const login = await post('auth.login', { username: 'admin', password: 'web admin pw 1' });
    const session = login.value.token as string;
    const lender = await post('lenders.create', { code: 'WEB', name: 'Web lender' }, session);
    const csv = toCsv([PLACEMENT_HEADERS, ...makeRows(5, 61, { caseNoPrefix: 'WEB' })]);

    // A path on the server's disk is refused: a browser must not make the server read local files.
    const byPath = await post('import.preview', { lenderId: lender.value.id, file: { path: '/etc/passwd' } }, session);
    expect(byPath).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // Uploads need the token and a session that may import.
    const noSession = await fetch(`${host.origin}/api/upload`, { method: 'POST', headers, body: csv });
    expect(await noSession.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const up = await (await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { ...headers, 'X-AgencyDesk-Session': session }, body: csv })).json();
    expect(up).toMatchObject({ ok: true, value: { uploadId: expect.any(String), bytes: Buffer.byteLength(csv) } });
    const file = { uploadId: up.value.uploadId, name: 'web.csv' };
    const preview = await post('import.preview', { lenderId: lender.value.id, file }, session);
    expect(preview.value).toMatchObject({ validRows: 5 });
    const start = await post('import.start', { lenderId: lender.value.id, file }, session);
    let job;
    do job = (await post('import.status', { jobId: start.value.jobId }, session)).value;
    while (job.state === 'running');
    expect(job.result).toMatchObject({ imported: 5, batch: { sourceName: 'web.csv' } });
    // The uploaded copy is removed once imported.
    expect((await post('import.preview', { lenderId: lender.value.id, file }, session)).error.code).toBe('NOT_FOUND');
  });
});

// Graceful shutdown of a real `agencydesk serve` child process: on SIGTERM it stops taking connections, lets a
// request that is still arriving finish, cancels a running import (nothing of it stays), checkpoints the WAL,
// closes the store and exits 0; the store then passes `check`.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import https from 'node:https';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pinnedAgent, pinnedRequest } from '../../remote/pinned-https.js';
import { ADMIN_PASSWORD, removeDir, tempDir } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const BIN = path.resolve('bin/agencydesk.mjs');
type Env = { ok: boolean; value?: any; error?: { code: string; message: string } };

describe('agencydesk serve: graceful shutdown', () => {
  it('on SIGTERM: a running request finishes, a running import is cancelled, WAL checkpointed, exit 0', async () => {
    const dir = tempDir('agencydesk-shutdown-');
    const store = path.join(dir, 'store');
    const env = { ...process.env, AGENCYDESK_NEW_PASSWORD: ADMIN_PASSWORD, AGENCYDESK_PASSWORD: ADMIN_PASSWORD, AGENCYDESK_USER: 'admin', AGENCYDESK_SHUTDOWN_GRACE_MS: '20000' };
    try {
      expect(spawnSync(process.execPath, [BIN, 'init', '--store', store], { env }).status).toBe(0);
      expect(spawnSync(process.execPath, [BIN, 'lender', 'add', '--store', store, '--code', 'BIG', '--name', '大批量'], { env }).status).toBe(0);
      const file = path.join(dir, 'big.csv');
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(150_000, 3)]));

      const child = spawn(process.execPath, [BIN, 'serve', '--store', store, '--listen', '127.0.0.1:0', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let log = '';
      child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      const { url, fingerprint } = await new Promise<{ url: string; fingerprint: string }>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${log}`)));
        setTimeout(() => reject(new Error(`serve printed nothing: ${log}`)), 60_000);
      });
      const agent = pinnedAgent(fingerprint);
      const origin = url.replace(/^https:\/\/[^:]+/, 'https://127.0.0.1');
      for (const until = Date.now() + 60_000; !log.includes('unlocked by'); ) {
        if (Date.now() > until) throw new Error(`not unlocked: ${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const call = async (method: string, input: unknown, token?: string) => {
        const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-AgencyDesk-Auth': 'bearer', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
        const res = await pinnedRequest(agent, `${origin}/api/call`, { method: 'POST', headers, body: JSON.stringify({ method, input }) });
        return JSON.parse(res.body.toString()) as Env;
      };
      const token = (await call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).value.token as string;
      // An upload the client is still sending when the signal comes.
      const slow = https.request(`${origin}/api/upload`, { method: 'POST', agent, headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${token}`, 'X-AgencyDesk-Upload-Purpose': 'case-file' } });
      const slowAnswer = new Promise<{ status: number; env: Env }>((resolve, reject) => {
        slow.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, env: JSON.parse(Buffer.concat(chunks).toString()) as Env }));
        });
        slow.on('error', reject);
      });
      slow.write(Buffer.alloc(100_000, 'x'));

      // A running import of the big file, uploaded as every desk sends files (the server reads no path of its own disk).
      const uploaded = await new Promise<Env>((resolve, reject) => {
        const up = https.request(`${origin}/api/upload`, { method: 'POST', agent, headers: { 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${token}`, 'X-AgencyDesk-Upload-Purpose': 'placement' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as Env));
        });
        up.on('error', reject);
        up.end(readFileSync(file));
      });
      expect(uploaded.ok, JSON.stringify(uploaded.error)).toBe(true);
      const lenderId = (await call('lenders.list', {}, token)).value.lenders[0].id as number;
      const started = await call('import.start', { lenderId, file: { uploadId: uploaded.value.uploadId, name: 'big.csv' } }, token);
      expect(started.ok).toBe(true);
      for (;;) {
        const j = (await call('import.status', { jobId: started.value.jobId }, token)).value;
        expect(j.state).toBe('running');
        if (j.rowsRead > 1000) break;
        await new Promise((r) => setTimeout(r, 20));
      }

      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      expect(child.exitCode).toBe(null); // still finishing the upload
      // No new connection is taken meanwhile.
      const fresh = await pinnedRequest(pinnedAgent(fingerprint), `${origin}/api/call`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then(
        () => 'answered',
        (e: NodeJS.ErrnoException) => e.code ?? e.message,
      );
      expect(fresh).toBe('ECONNREFUSED');
      slow.end(Buffer.alloc(100_000, 'y'));
      const answer = await slowAnswer;
      expect(answer.status).toBe(200);
      expect(answer.env.value.bytes).toBe(200_000);
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 30_000))]);
      agent.destroy();
      expect(code, log).toBe(0);
      expect(log).toMatch(/SIGTERM: stopping/);
      const took = Number(/stopped in ([\d.]+) s/.exec(log)?.[1]);
      // Not the grace period: the open keep-alive connections are idle, only the upload was waited for.
      expect(took, log).toBeLessThan(10);

      // Checkpointed and closed: no WAL left with pages in it; the cancelled import left nothing; check passes.
      const wal = path.join(store, 'agency.db-wal');
      expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
      expect(readdirSync(path.join(store, 'uploads'))).toEqual([]);
      const check = spawnSync(process.execPath, [BIN, 'check', '--store', store], { env, encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      const cases = spawnSync(process.execPath, [BIN, 'call', 'cases.list', '{"limit":1}', '--store', store, '--json'], { env, encoding: 'utf8' });
      expect(JSON.parse(cases.stdout).total).toBe(0);
    } finally {
      removeDir(dir);
    }
  }, 240_000);
});

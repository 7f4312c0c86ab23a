// kill -9 of a real `agencydesk rekey` — at random moments, and at every step of the switch — never leaves a store
// that neither key opens: each run the store opens clean with the admin's and a collector's password, under the
// old key or the new one (never anything else), and nothing committed before the rekey is lost.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeDir, tempDir, login, ADMIN_PASSWORD } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { createBackend } from '../../core/backend.js';

const BIN = path.resolve('bin/agencydesk.mjs');
const PW = 'collector password 1';
const STEPS = ['locked', 'copied', 'rekeyed', 'prepared', 'committed', 'rename-db', 'rename-slots', 'write-bak', 'remove-marker'];

async function runRekey(store: string, env: NodeJS.ProcessEnv, when: (() => boolean) | null): Promise<boolean> {
  const child = spawn(process.execPath, [BIN, 'rekey', '--store', store], { env, stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  while (when && child.exitCode === null && child.signalCode === null) {
    if (when()) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await exited;
  return child.signalCode === 'SIGKILL';
}

/** Opens the store in this process as the next user would; returns its key generation. Commits one more lender. */
async function openAndCheck(store: string, lenders: string[], cases: number, next: string): Promise<number> {
  const b = createBackend({ storeDir: store, host: 'test', sweepEveryMs: 0 });
  try {
    await (await login(b, 'zhang', PW)).call('auth.logout', {});
    const admin = await login(b, 'admin', ADMIN_PASSWORD);
    const check = await admin.call('system.check', {});
    expect(check.integrityOk).toBe(true);
    expect(check.audit.ok).toBe(true);
    const codes = (await admin.call('lenders.list', {})).lenders.map((l) => l.code);
    for (const c of lenders) expect(codes).toContain(c);
    expect((await admin.call('cases.list', {})).total).toBe(cases);
    const { generation } = await admin.call('keys.status', {});
    await admin.call('lenders.create', { code: next, name: next });
    lenders.push(next.toUpperCase());
    await admin.call('auth.logout', {});
    return generation;
  } finally {
    b.close();
  }
}

describe('kill -9 during a rekey', () => {
  it('at every step and at ≥ 20 random moments: the store opens with the right password and loses nothing', async () => {
    expect(existsSync('dist/cli/main.mjs'), 'run `npm run build` first').toBe(true);
    const dir = tempDir();
    try {
      const env = { ...process.env, AGENCYDESK_PASSWORD: ADMIN_PASSWORD, AGENCYDESK_NEW_PASSWORD: ADMIN_PASSWORD };
      const store = path.join(dir, 'store');
      expect(spawnSync(process.execPath, [BIN, 'init', '--store', store], { env }).status).toBe(0);
      expect(spawnSync(process.execPath, [BIN, 'lender', 'add', '--store', store, '--code', 'BIG', '--name', '大批量'], { env }).status).toBe(0);
      expect(spawnSync(process.execPath, [BIN, 'user', 'add', '--store', store, '--username', 'zhang', '--role', 'collector'], { env: { ...env, AGENCYDESK_NEW_PASSWORD: PW } }).status).toBe(0);
      const file = path.join(dir, 'big.csv');
      const CASES = 5_000;
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(CASES, 7)]));
      expect(spawnSync(process.execPath, [BIN, 'import', '--store', store, '--lender', 'BIG', '--batch', 'BIG-1', file], { env }).status).toBe(0);
      const lenders = ['BIG'];
      let generation = await openAndCheck(store, lenders, CASES, 'L0');

      // Each step of the switch, by the test hook in db/rekey.ts.
      for (const step of STEPS) {
        expect(await runRekey(store, { ...env, AGENCYDESK_TEST_REKEY_KILL_AT: step }, null), step).toBe(true);
        const g = await openAndCheck(store, lenders, CASES, `S-${step}`);
        // Before the commit point the old key stands; from it on, the new one.
        expect(g, step).toBe(STEPS.indexOf(step) >= STEPS.indexOf('committed') ? generation + 1 : generation);
        generation = g;
      }

      // How long one whole rekey takes here (login included); then killed at random moments.
      const t0 = Date.now();
      expect(await runRekey(store, env, null)).toBe(false);
      const full = Date.now() - t0;
      generation = await openAndCheck(store, lenders, CASES, 'T0');
      let killed = 0;
      let inCopy = 0;
      // Until ≥ 20 kills and ≥ 5 of them while the copy existed (how long that phase lasts depends on the machine's load).
      for (let run = 0; (killed < 20 || inCopy < 5) && run < 80; run++) {
        const start = Date.now();
        const deadline = start + Math.random() * full;
        const copyDelay = Math.random() * (run % 4 === 1 ? 800 : 150);
        let copySeen = 0;
        const when =
          run % 2 === 0
            ? () => Date.now() >= deadline
            : () => {
                if (!copySeen && existsSync(path.join(store, 'agency.db.rekey'))) copySeen = Date.now();
                return copySeen > 0 && Date.now() - copySeen >= copyDelay;
              };
        const wasKilled = await runRekey(store, env, when);
        if (wasKilled) killed++;
        if (wasKilled && copySeen) inCopy++;
        const g = await openAndCheck(store, lenders, CASES, `R${run}`);
        expect([generation, generation + 1], `run ${run}`).toContain(g);
        generation = g;
      }
      expect(killed).toBeGreaterThanOrEqual(20);
      expect(inCopy).toBeGreaterThanOrEqual(5);
      console.log(`rekey of a ${CASES}-case store: ${full} ms whole (login included); ${killed} kills, ${inCopy} while the copy existed; generation now ${generation}`);
    } finally {
      removeDir(dir);
    }
  }, 900_000);
});

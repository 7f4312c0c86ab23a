// kill -9 of a real `agencydesk backup` at random moments: nothing is ever left under a final backup name (only
// dot-named .partial files, removed by the next backup), the store opens clean, and the next backup works.
// Then kill -9 of `agencydesk restore`: the new store folder is either absent or whole.
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeDir, tempDir, ADMIN_PASSWORD } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { BACKUP_EXT } from '../../db/backup.js';

const BIN = path.resolve('bin/agencydesk.mjs');
// Backups killed (issue 17: ≥ 20 per kill loop); KILL_RUNS=N for a longer loop. Runs that finish first do not count.
const KILLS = Number(process.env.KILL_RUNS ?? 20);

async function killAt(store: string, out: string, env: NodeJS.ProcessEnv, when: () => boolean): Promise<boolean> {
  const child = spawn(process.execPath, [BIN, 'backup', '--store', store, '--to', out], { env, stdio: 'ignore' });
  const exited = new Promise((r) => child.on('exit', r));
  for (;;) {
    if (child.exitCode !== null) break;
    if (when()) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await exited;
  return child.signalCode === 'SIGKILL';
}

const finals = (out: string) => (existsSync(out) ? readdirSync(out).filter((n) => !n.startsWith('.')) : []);

describe('kill -9 during a backup', () => {
  it('never leaves a file under a final name, and the store opens clean', async () => {
    expect(existsSync('dist/cli/main.mjs') && existsSync('dist/workers/backup.mjs'), 'run `npm run build` first').toBe(true);
    const dir = tempDir();
    try {
      const env = { ...process.env, AGENCYDESK_PASSWORD: ADMIN_PASSWORD, AGENCYDESK_NEW_PASSWORD: ADMIN_PASSWORD };
      const store = path.join(dir, 'store');
      const out = path.join(dir, 'out');
      expect(spawnSync(process.execPath, [BIN, 'init', '--store', store], { env }).status).toBe(0);
      expect(spawnSync(process.execPath, [BIN, 'lender', 'add', '--store', store, '--code', 'BIG', '--name', '大批量'], { env }).status).toBe(0);
      const file = path.join(dir, 'big.csv');
      writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(40_000, 5)]));
      expect(spawnSync(process.execPath, [BIN, 'import', '--store', store, '--lender', 'BIG', '--batch', 'BIG-1', file], { env }).status).toBe(0);

      // How long one whole backup takes here; it is then killed at random moments within that.
      const t0 = Date.now();
      const first = spawnSync(process.execPath, [BIN, 'backup', '--store', store, '--to', path.join(dir, 'timing')], { env, encoding: 'utf8' });
      expect(first.status, first.stderr).toBe(0);
      const full = Date.now() - t0;

      let killed = 0;
      let withPartial = 0;
      for (let run = 0; run < KILLS + 10 && killed < KILLS; run++) {
        const start = Date.now();
        // Half the runs at a random moment of the whole run (login included); half once a partial file exists.
        const deadline = start + Math.random() * full;
        const partialDelay = Math.random() * 300;
        let partialSeen = 0;
        const when =
          run % 2 === 0
            ? () => Date.now() >= deadline
            : () => {
                const p = existsSync(out) && readdirSync(out).some((n) => n.endsWith('.partial'));
                if (p && !partialSeen) partialSeen = Date.now();
                return partialSeen > 0 && Date.now() - partialSeen >= partialDelay;
              };
        const wasKilled = await killAt(store, out, env, when);
        if (!wasKilled) {
          // It finished first: remove that backup so the next run starts the same way.
          for (const n of finals(out)) removeDir(path.join(out, n));
          continue;
        }
        // Killed after its last rename, on its way out: the backup had finished, so the file under its final name
        // must be a whole one (restore checks it all). Counted as finished, not as a kill.
        const done = finals(out).find((n) => n.endsWith(BACKUP_EXT));
        if (done) {
          const back = spawnSync(process.execPath, [BIN, 'restore', '--from', path.join(out, done), '--store', path.join(dir, `late-kill-${run}`)], { env, encoding: 'utf8' });
          expect(back.status, back.stderr).toBe(0);
          for (const n of finals(out)) removeDir(path.join(out, n));
          continue;
        }
        killed++;
        if (existsSync(out) && readdirSync(out).some((n) => n.endsWith('.partial'))) withPartial++;
        expect(finals(out), `run ${run}`).toEqual([]);
        // The store is not hurt: check opens it and finds integrity and the audit chain ok.
        const check = spawnSync(process.execPath, [BIN, 'check', '--store', store], { env, encoding: 'utf8' });
        expect(check.status, check.stdout + check.stderr).toBe(0);
      }
      expect(killed).toBe(KILLS);
      expect(withPartial).toBeGreaterThanOrEqual(Math.floor(KILLS / 4));
      console.log(`backup kill loop: ${killed} kills, ${withPartial} with a partial file written, one backup ${full} ms`);

      // The next backup sweeps the partial files and leaves exactly one finished file.
      const r = spawnSync(process.execPath, [BIN, 'backup', '--store', store, '--to', out, '--json'], { env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      // (Beside it: the audit anchor's copy, core/audit/anchor-outside.ts.)
      const names = readdirSync(out).filter((n) => !n.startsWith('agencydesk-anchor-'));
      expect(names, names.join(', ')).toHaveLength(1);
      expect(names[0]!.endsWith(BACKUP_EXT)).toBe(true);
      expect((JSON.parse(r.stdout) as { manifest: { counts: { cases: number } } }).manifest.counts.cases).toBe(40_000);

      // kill -9 of `agencydesk restore` at random moments: the target folder either does not exist or is the
      // whole, checked store (it appears by one rename, after the checks).
      const backupFile = path.join(out, names[0]!);
      const t1 = Date.now();
      const full2 = spawnSync(process.execPath, [BIN, 'restore', '--from', backupFile, '--store', path.join(dir, 'timing-restore')], { env, encoding: 'utf8' });
      expect(full2.status, full2.stderr).toBe(0);
      const restoreMs = Date.now() - t1;
      let restoreKills = 0;
      for (let run = 0; run < 5; run++) {
        const target = path.join(dir, `restored-${run}`);
        const child = spawn(process.execPath, [BIN, 'restore', '--from', backupFile, '--store', target], { env, stdio: 'ignore' });
        const exited = new Promise((res) => child.on('exit', res));
        await new Promise((res) => setTimeout(res, Math.random() * restoreMs));
        child.kill('SIGKILL');
        await exited;
        if (child.signalCode === 'SIGKILL') restoreKills++;
        if (existsSync(target)) {
          const c = spawnSync(process.execPath, [BIN, 'check', '--store', target], { env, encoding: 'utf8' });
          expect(c.status, c.stdout + c.stderr).toBe(0);
        }
      }
      expect(restoreKills).toBeGreaterThanOrEqual(3);
      // Restoring again into a target a killed run left absent works, and sweeps that run's unpacked parts.
      const again = [0, 1, 2, 3, 4].map((n) => path.join(dir, `restored-${n}`)).find((t) => !existsSync(t));
      if (again) {
        const rr = spawnSync(process.execPath, [BIN, 'restore', '--from', backupFile, '--store', again], { env, encoding: 'utf8' });
        expect(rr.status, rr.stderr).toBe(0);
        expect(readdirSync(dir).filter((n) => n.startsWith(`${path.basename(again)}.restoring-`))).toEqual([]);
      }
    } finally {
      removeDir(dir);
    }
  }, 600_000);
});

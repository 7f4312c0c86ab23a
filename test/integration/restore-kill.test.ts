// kill -9 of a real `agencydesk restore --from FILE --store NEWDIR` at random moments, ≥ 20 kills (issue 17):
// afterwards NEWDIR is either absent (at most a `NEWDIR.restoring-PID` folder beside it, clearly incomplete; a
// rerun of restore into it — every fourth such run — succeeds and sweeps that folder), or it is the whole store:
// it opens with the right key, passes integrity and the audit chain, and holds what the backup's manifest says
// (counts, audit head). The live store and the backup file are never touched. KILL_RUNS=N runs a longer loop.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ADMIN_PASSWORD, makeStore, masterKeyOf, removeDir, tempDir, type TestStore } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { openEncrypted } from '../../db/open.js';
import { storeFiles } from '../../db/paths.js';
import { auditRepo } from '../../db/repos/audit.js';
import type { BackupManifest } from '../../db/backup.js';

const BIN = path.resolve('bin/agencydesk.mjs');
const KILLS = Number(process.env.KILL_RUNS ?? 20);
const env = { ...process.env, AGENCYDESK_PASSWORD: ADMIN_PASSWORD };
let s: TestStore;
let dir: string;
let backupFile: string;
let manifest: BackupManifest;

/** Every file under `root` with its SHA-256 (the live store, to show a restore never writes to it). */
function digest(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(root, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}

/** The restored store as the right key opens it: integrity, chain, counts and head against the manifest. */
function inspect(target: string) {
  const db = openEncrypted(storeFiles(target).db, masterKeyOf(target, s.recoveryKey), { migrate: false });
  try {
    const audit = auditRepo(db).verify();
    const n = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      auditOk: audit.ok,
      counts: { cases: n('cases'), payments: n('payments'), contactAttempts: n('contact_attempts'), auditEntries: n('audit_log') },
      auditHead: head,
    };
  } finally {
    db.close();
  }
}

const leftovers = (target: string) => readdirSync(path.dirname(target)).filter((n) => n.startsWith(`${path.basename(target)}.restoring-`));
const restore = (target: string) => spawnSync(process.execPath, [BIN, 'restore', '--from', backupFile, '--store', target], { env, encoding: 'utf8' });

beforeAll(async () => {
  expect(existsSync('dist/cli/main.mjs'), 'run `npm run build` first').toBe(true);
  dir = tempDir('agencydesk-restore-kill-');
  s = await makeStore({ storeDir: path.join(dir, 'live') });
  const lender = (await s.admin.call('lenders.create', { code: 'RK', name: '恢复银行' })).id;
  const file = path.join(dir, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(1500, 17)]));
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const { jobId } = await s.admin.call('import.start', { lenderId: lender, file: { path: file }, placementDate: today });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  const ids = (await s.admin.call('cases.list', { sort: 'id', desc: false, limit: 20 })).rows.map((r) => r.id);
  for (const caseId of ids) await s.admin.call('payments.post', { caseId, paidOn: today, amountFen: 1_000 + caseId, channel: 'alipay' });
  s.close();
  const r = spawnSync(process.execPath, [BIN, 'backup', '--store', s.dir, '--to', path.join(dir, 'out'), '--json'], { env, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  ({ manifest } = JSON.parse(r.stdout) as { manifest: BackupManifest });
  backupFile = path.join(dir, 'out', readdirSync(path.join(dir, 'out')).find((n) => !n.startsWith('.'))!);
  expect(manifest.counts).toMatchObject({ cases: 1500, payments: 20 });
}, 120_000);
afterAll(() => removeDir(dir));

describe('kill -9 during a restore', () => {
  it(`leaves NEWDIR absent (a rerun then works) or whole, ${KILLS} kills at random moments; the live store untouched`, async () => {
    const live = digest(s.dir);
    const backupSha = createHash('sha256').update(readFileSync(backupFile)).digest('hex');
    const t0 = Date.now();
    const first = restore(path.join(dir, 'timing'));
    expect(first.status, first.stderr).toBe(0);
    const full = Date.now() - t0;
    expect(inspect(path.join(dir, 'timing'))).toEqual({ integrity: 'ok', auditOk: true, counts: manifest.counts, auditHead: manifest.auditHead });

    const figures = { kills: 0, finishedFirst: 0, absent: 0, absentWithParts: 0, whole: 0, reruns: 0, rerunsOverParts: 0 };
    for (let run = 0; figures.kills < KILLS && run < KILLS * 3; run++) {
      const target = path.join(dir, `r${run}`);
      const child = spawn(process.execPath, [BIN, 'restore', '--from', backupFile, '--store', target], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const exited = new Promise((res) => child.on('exit', res));
      // Half the runs at a random moment of a whole restore (start-up and key unwrap included); half once the
      // unpacking has begun, so the kills cover the copy, the checks and the rename.
      const start = Date.now();
      const deadline = start + Math.random() * full;
      const afterParts = Math.random() * full * 0.7;
      let partsAt = 0;
      while (child.exitCode === null) {
        if (run % 2 === 1 && !partsAt && leftovers(target).length) partsAt = Date.now();
        if (run % 2 === 0 ? Date.now() >= deadline : partsAt > 0 && Date.now() - partsAt >= afterParts) {
          child.kill('SIGKILL');
          break;
        }
        await new Promise((res) => setTimeout(res, 2));
      }
      await exited;
      if (child.signalCode !== 'SIGKILL') {
        // It finished before its kill: then it succeeded.
        expect(child.exitCode, `run ${run}: ${stderr}`).toBe(0);
        figures.finishedFirst++;
      } else figures.kills++;
      if (existsSync(target)) {
        figures.whole++;
        expect(inspect(target), `run ${run}`).toEqual({ integrity: 'ok', auditOk: true, counts: manifest.counts, auditHead: manifest.auditHead });
        expect(leftovers(target), `run ${run}`).toEqual([]);
      } else {
        figures.absent++;
        const parts = leftovers(target).length > 0;
        if (parts) figures.absentWithParts++;
        // Every fourth absent target (one with parts left, when there are any): restore again into it. It
        // works and sweeps the killed run's parts. (Every one would double the loop's time.)
        if (parts ? figures.rerunsOverParts < Math.ceil(figures.absentWithParts / 4) : figures.reruns === 0) {
          const again = restore(target);
          figures.reruns++;
          if (parts) figures.rerunsOverParts++;
          expect(again.status, `run ${run}: ${again.stderr}`).toBe(0);
          expect(leftovers(target), `run ${run}`).toEqual([]);
          expect(inspect(target), `run ${run}`).toEqual({ integrity: 'ok', auditOk: true, counts: manifest.counts, auditHead: manifest.auditHead });
        }
      }
      removeDir(target);
      for (const n of leftovers(target)) removeDir(path.join(dir, n));
    }
    console.log(`restore-kill: ${JSON.stringify({ ...figures, fullRestoreMs: full })}`);
    expect(figures.kills).toBeGreaterThanOrEqual(KILLS);
    expect(figures.absentWithParts, 'some kills fell mid-unpack').toBeGreaterThanOrEqual(1);
    expect(figures.rerunsOverParts).toBeGreaterThanOrEqual(1);
    // The live store and the backup are as they were.
    expect(digest(s.dir)).toEqual(live);
    expect(createHash('sha256').update(readFileSync(backupFile)).digest('hex')).toBe(backupSha);
    // A restored store opens for real with the password valid at backup time: `agencydesk check` passes.
    const c = spawnSync(process.execPath, [BIN, 'check', '--store', path.join(dir, 'timing')], { env, encoding: 'utf8' });
    expect(c.status, c.stdout + c.stderr).toBe(0);
  }, 60_000 + KILLS * 12_000); // generous: on a loaded machine a run takes ~5 s
});

// A lender follows the package's own README.txt, literally: the command lines are taken from the generated
// README.txt and run with bash (real openssl, sha256sum, shasum) in the package folder, and check.py with
// python3. An untouched package passes every step; an amount changed in status-report.csv with SHA256SUMS
// rewritten to match, or a changed manifest.json, makes a step fail (non-zero exit).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeStore, removeDir, tempDir, type TestStore } from '../helpers/store.js';
import { waitJob } from '../helpers/import.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';
import { PY_BEGIN, PY_END } from '../../core/reports/readme.js';

let s: TestStore;
let files: string;
let pkg: string;
let fingerprint: string;

beforeAll(async () => {
  s = await makeStore({ now: () => new Date('2026-11-23T10:00:00+08:00') });
  files = tempDir('agencydesk-readme-steps-');
  const lenderId = (await s.admin.call('lenders.create', { code: 'RDM', name: '读我贷' })).id;
  const file = path.join(files, 'p.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(6, 41)]));
  const { jobId } = await s.admin.call('import.start', { lenderId, file: { path: file }, placementDate: '2026-11-01', batchNo: 'RDM-B1' });
  expect((await waitJob(s.admin, jobId)).state).toBe('done');
  const batchId = (await s.admin.call('batches.list', { lenderId })).batches[0]!.id;
  const r = await s.admin.call('reports.export', { lenderId, batchId, formats: ['csv', 'xlsx'], outDir: path.join(files, 'out') });
  pkg = r.path;
  fingerprint = r.fingerprint;
}, 60_000);
afterAll(() => {
  s.close();
  removeDir(s.dir);
  removeDir(files);
});

const readme = () => readFileSync(path.join(pkg, 'README.txt'), 'utf8');
/** The command lines README.txt gives after a prompt (`$ ` Linux, `% ` macOS, `PS> ` PowerShell). */
const commands = (prompt: string) =>
  readme()
    .split(/\r?\n/)
    .filter((l) => l.startsWith(`   ${prompt} `))
    .map((l) => l.slice(prompt.length + 4));
const checkPy = () => {
  const lines = readme().split(/\r?\n/);
  return lines.slice(lines.indexOf(PY_BEGIN) + 1, lines.indexOf(PY_END)).map((l) => l.slice(3)).join('\n');
};

// macOS's `brew --prefix openssl@3` names where Homebrew's OpenSSL 3 lives; here that is /usr.
const MAC_PRELUDE = 'brew() { echo /usr; }\n';
function runSteps(dir: string, lines: string[], prelude = '') {
  return lines.map((line) => {
    const r = spawnSync('bash', ['-c', prelude + line], { cwd: dir, encoding: 'utf8' });
    return { line, status: r.status, out: r.stdout + r.stderr };
  });
}
const runPy = (dir: string) => {
  writeFileSync(path.join(dir, 'check.py'), checkPy());
  const r = spawnSync('python3', ['check.py'], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
};
const hasPyCrypto = spawnSync('python3', ['-c', 'import cryptography'], { encoding: 'utf8' }).status === 0;
const hasPwsh = spawnSync('pwsh', ['-v'], { encoding: 'utf8' }).status === 0;

/** A copy of the package where one amount in status-report.csv differs and SHA256SUMS was rewritten to match. */
function amountTampered(): string {
  const dir = path.join(files, `amount-${Date.now()}`);
  cpSync(pkg, dir, { recursive: true });
  const csvPath = path.join(dir, 'status-report.csv');
  const csv = readFileSync(csvPath, 'utf8');
  const lines = csv.split('\r\n');
  const changed = lines[1]!.replace(/,(\d+)\.(\d\d)(?=,|$)/, (_m, y: string, f: string) => `,${Number(y) + 1000}.${f}`);
  expect(changed).not.toBe(lines[1]);
  lines[1] = changed;
  writeFileSync(csvPath, lines.join('\r\n'));
  const sha = createHash('sha256').update(readFileSync(csvPath)).digest('hex');
  const sums = readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64}(?= {2}status-report\.csv$)/m, sha);
  writeFileSync(path.join(dir, 'SHA256SUMS'), sums);
  // The rewritten list is self-consistent: `sha256sum -c` alone would accept the change.
  expect(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).status).toBe(0);
  return dir;
}

function manifestTampered(): string {
  const dir = path.join(files, `manifest-${Date.now()}`);
  cpSync(pkg, dir, { recursive: true });
  const m = path.join(dir, 'manifest.json');
  const text = readFileSync(m, 'utf8');
  const changed = text.replace(/"cases": (\d+)/, (_m, n: string) => `"cases": ${Number(n) + 1}`);
  expect(changed).not.toBe(text);
  writeFileSync(m, changed);
  return dir;
}

describe("README.txt's steps, run as written", () => {
  it('give commands for Linux and macOS that name OpenSSL 3 and LibreSSL', () => {
    expect(commands('$').length).toBeGreaterThanOrEqual(3);
    expect(commands('%').length).toBeGreaterThanOrEqual(3);
    expect(commands('PS>').length).toBe(1);
    expect(readme()).toMatch(/OpenSSL 3\.0 or later/);
    expect(readme()).toMatch(/LibreSSL/);
    expect(readme()).toContain('pip install cryptography');
  });

  it('pass on the untouched package (Linux, macOS and Python steps)', () => {
    const linux = runSteps(pkg, commands('$'));
    for (const r of linux) expect(r.status, `${r.line}\n${r.out}`).toBe(0);
    const all = linux.map((r) => r.out).join('\n');
    expect(all.match(/Signature Verified Successfully/g)).toHaveLength(2);
    expect(all).toContain('status-report.csv: OK');
    expect(all).toContain(fingerprint);
    const mac = runSteps(pkg, commands('%'), MAC_PRELUDE);
    for (const r of mac) expect(r.status, `${r.line}\n${r.out}`).toBe(0);
    expect(mac.map((r) => r.out).join('\n')).toContain(fingerprint);
    if (hasPyCrypto) {
      const py = runPy(pkg);
      expect(py.status, py.out).toBe(0);
      expect(py.out).toContain('SHA256SUMS signature OK');
      expect(py.out).toContain(`key fingerprint: ${fingerprint}`);
    }
  });

  it('fail when an amount in status-report.csv changed and SHA256SUMS was rewritten to match', () => {
    const dir = amountTampered();
    const linux = runSteps(dir, commands('$'));
    expect(linux.some((r) => r.status !== 0)).toBe(true);
    // It is the signature of SHA256SUMS that catches it.
    expect(linux.find((r) => r.line.includes('SHA256SUMS.sig'))!.status).not.toBe(0);
    expect(runSteps(dir, commands('%'), MAC_PRELUDE).some((r) => r.status !== 0)).toBe(true);
    if (hasPyCrypto) {
      const py = runPy(dir);
      expect(py.status).not.toBe(0);
      expect(py.out).toContain('SHA256SUMS signature FAILED');
    }
  });

  it('fail when manifest.json changed', () => {
    const dir = manifestTampered();
    const linux = runSteps(dir, commands('$'));
    expect(linux.find((r) => r.line.includes('manifest.sig'))!.status).not.toBe(0);
    expect(runSteps(dir, commands('%'), MAC_PRELUDE).some((r) => r.status !== 0)).toBe(true);
    if (hasPyCrypto) expect(runPy(dir).status).not.toBe(0);
  });

  it('fail when status-report.csv changed and SHA256SUMS was left alone', () => {
    const dir = path.join(files, 'plain-change');
    cpSync(pkg, dir, { recursive: true });
    const f = path.join(dir, 'status-report.csv');
    writeFileSync(f, `${readFileSync(f, 'utf8')}X\r\n`);
    const linux = runSteps(dir, commands('$'));
    expect(linux.find((r) => r.line.startsWith('sha256sum'))!.status).not.toBe(0);
  });

  it.skipIf(!hasPwsh)('PowerShell hash step: passes untouched, fails on a changed file', () => {
    const ps = commands('PS>')[0]!;
    expect(spawnSync('pwsh', ['-NoProfile', '-Command', ps], { cwd: pkg }).status).toBe(0);
    const dir = amountTampered();
    writeFileSync(path.join(dir, 'SHA256SUMS'), readFileSync(path.join(pkg, 'SHA256SUMS')));
    expect(spawnSync('pwsh', ['-NoProfile', '-Command', ps], { cwd: dir }).status).not.toBe(0);
  });
});

// Uploads sealed at rest (core/import/sealed-file.ts): what the encryption costs an import. A 100k-row
// placement CSV and XLSX (Excel's part order, shared strings) imported in place (plain) and through a sealed
// upload, each into a fresh store, interleaved and repeated (the machine is shared: the best run of each is the
// figure, in wall-clock rows/s and in CPU seconds); plus the readers alone (parse only, no store) over the plain and the sealed file, and the sealing
// itself (MB/s while the upload streams in).
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend, type Backend } from '../core/backend.js';
import { receiveUpload } from '../web/upload-stream.js';
import { readRows } from '../core/import/read/source.js';
import { newSealKey, sealStream } from '../core/import/sealed-file.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../test/helpers/placement-data.js';
import { personalXlsx } from '../test/helpers/xlsx-personal.js';
import { figure, timeAsync } from './report.js';
import { pipeline } from 'node:stream/promises';

const ROWS = Number(process.env.BENCH_UPLOAD_ROWS ?? 100_000);
const RUNS = Number(process.env.BENCH_UPLOAD_RUNS ?? 2);

async function freshStore(root: string, n: number): Promise<{ backend: Backend; session: string; lenderId: number; dir: string }> {
  const dir = path.join(root, `store-${n}`);
  const backend = createBackend({ storeDir: dir, host: 'test', sweepEveryMs: 0 });
  const setup = await backend.dispatch('system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'A', password: 'bench password 1' } });
  if (!setup.ok) throw new Error(setup.error.message);
  const session = (setup.value as { session: { token: string } }).session.token;
  const lender = await backend.dispatch('lenders.create', { code: 'UPB', name: '上传' }, { session });
  if (!lender.ok) throw new Error(lender.error.message);
  return { backend, session, lenderId: (lender.value as { id: number }).id, dir };
}

/** Waits until this process's threads are idle (under 5 % of a core for a second), at most two minutes. */
async function settle(): Promise<void> {
  const until = Date.now() + 120_000;
  let quiet = 0;
  while (quiet < 4 && Date.now() < until) {
    const c0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 250));
    const c = process.cpuUsage(c0);
    quiet = (c.user + c.system) / 1000 < 12.5 ? quiet + 1 : 0;
  }
}

/** Imports `file` (in place, or sealed through the upload route's own code) and returns seconds (import only) and the upload's. */
async function importOnce(root: string, n: number, file: string, sealed: boolean): Promise<{ importS: number; cpuS: number; uploadS: number }> {
  const s = await freshStore(root, n);
  try {
    let ref: { path: string } | { uploadId: string; name: string } = { path: file };
    let uploadS = 0;
    if (sealed) {
      const target = s.backend.newUpload(s.session);
      const up = await timeAsync(() => receiveUpload(createReadStream(file, { highWaterMark: 64 * 1024 }), target));
      if (up.value.status !== 200) throw new Error('upload refused');
      uploadS = up.ms / 1000;
      ref = { uploadId: target.uploadId, name: path.basename(file) };
    }
    const t = process.hrtime.bigint();
    // CPU time of every thread of this process (the import worker, its reader thread, this one polling):
    // less at the mercy of what else the shared machine runs than the wall clock.
    const cpu0 = process.cpuUsage();
    const started = await s.backend.dispatch('import.start', { lenderId: s.lenderId, file: ref }, { session: s.session });
    if (!started.ok) throw new Error(started.error.message);
    const jobId = (started.value as { jobId: string }).jobId;
    for (;;) {
      const st = await s.backend.dispatch('import.status', { jobId }, { session: s.session });
      if (!st.ok) throw new Error(st.error.message);
      const job = st.value as { state: string; result: { imported: number } | null; error: { message: string } | null };
      if (job.state === 'done') {
        if (job.result!.imported !== ROWS) throw new Error(`imported ${job.result!.imported} of ${ROWS}`);
        break;
      }
      if (job.state !== 'running') throw new Error(job.error?.message ?? job.state);
      await new Promise((r) => setTimeout(r, 25));
    }
    const importS = Number(process.hrtime.bigint() - t) / 1e9;
    // The worker goes on after the result (search rows, checkpoint): its whole CPU counts, and the next
    // run must not start while it works.
    await settle();
    const cpu = process.cpuUsage(cpu0);
    return { importS, cpuS: (cpu.user + cpu.system) / 1e6, uploadS };
  } finally {
    s.backend.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
}

/** The reader alone: rows/s over the plain file and over the same file sealed. */
async function parseOnly(file: string, sealedFile: string, key: Uint8Array): Promise<{ plain: number; sealed: number }> {
  // Rows per CPU second (this thread only: the reader runs here).
  const rate = async (src: string | { path: string; key: Uint8Array }) => {
    let rows = 0;
    const c0 = process.cpuUsage();
    await readRows(src, (b) => void (rows += b.rows.length));
    const c = process.cpuUsage(c0);
    return rows / ((c.user + c.system) / 1e6);
  };
  // Interleaved, five of each, the median: CPU time too varies on a shared machine.
  const plain: number[] = [];
  const sealed: number[] = [];
  for (let i = 0; i < 5; i++) {
    plain.push(await rate(file));
    sealed.push(await rate({ path: sealedFile, key }));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { plain: median(plain), sealed: median(sealed) };
}

export async function uploadBench(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'agencydesk-upload-bench-'));
  try {
    const csv = path.join(root, 'placement.csv');
    writeFileSync(csv, toCsv([PLACEMENT_HEADERS, ...makeRows(ROWS, 4242, { caseNoPrefix: 'UB' })]));
    const xlsx = path.join(root, 'placement.xlsx');
    writeFileSync(xlsx, personalXlsx(ROWS, 4243, 'shared').bytes);
    console.log(`${ROWS.toLocaleString('en')} rows; CSV ${(statSync(csv).size / 2 ** 20).toFixed(1)} MB, XLSX ${(statSync(xlsx).size / 2 ** 20).toFixed(1)} MB; best of ${RUNS} runs each, fresh store per run`);
    let n = 0;
    for (const [label, file] of [['CSV', csv], ['XLSX (shared strings, Excel order)', xlsx]] as const) {
      // The readers alone first (a fresh process: no import's garbage around), without the store.
      const key = newSealKey();
      const sealedFile = `${file}.sealed`;
      await pipeline(createReadStream(file), sealStream(key), createWriteStream(sealedFile));
      const p = await parseOnly(file, sealedFile, key);
      figure(`${label}: reader alone, plain`, p.plain, 'rows/CPU s');
      figure(`${label}: reader alone, sealed`, p.sealed, 'rows/CPU s');
      const best = { plain: Infinity, sealed: Infinity, plainCpu: Infinity, sealedCpu: Infinity, upload: Infinity };
      for (let i = 0; i < RUNS; i++) {
        const p = await importOnce(root, n++, file, false);
        best.plain = Math.min(best.plain, p.importS);
        best.plainCpu = Math.min(best.plainCpu, p.cpuS);
        const s = await importOnce(root, n++, file, true);
        best.sealed = Math.min(best.sealed, s.importS);
        best.sealedCpu = Math.min(best.sealedCpu, s.cpuS);
        best.upload = Math.min(best.upload, s.uploadS);
      }
      figure(`${label}: import in place (plain)`, ROWS / best.plain, 'rows/s');
      figure(`${label}: import of a sealed upload`, ROWS / best.sealed, 'rows/s');
      figure(`${label}: import CPU (all threads, result + search rows + checkpoint), plain`, best.plainCpu, 'CPU s');
      figure(`${label}: import CPU (same), sealed upload`, best.sealedCpu, 'CPU s');
      figure(`${label}: upload streamed and sealed`, statSync(file).size / 2 ** 20 / best.upload, 'MB/s');
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

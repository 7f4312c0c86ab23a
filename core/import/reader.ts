// The import's reader thread: reads and parses the file, finds the header row, normalises and validates
// every row, and sends the cases in batches to the import worker, which writes them to the store. The two
// run at the same time (parsing and SQLite each keep a core busy), with at most a few batches in flight.
import { requestSource, type ImportSettings } from './protocol.js';
import { walk, type Layout } from './walk.js';
import { cellText } from './read/rows.js';
import { FileRejected } from './read/limits.js';
import { sha256File } from './read/source.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import type { ErrorCode } from '../../shared/contract/envelope.js';
import { compileRowNormaliser } from '../../shared/domain/placement/normalise-row.js';
import { CaseBatchBuilder, caseValues, extraOf, hash31, VALUES_PER_CASE, type CaseBatch } from './case-batch.js';
import { FileFacts, type FileFactsSummary } from './file-facts.js';

export interface ReaderData {
  role: 'reader';
  filePath: string;
  /** The upload's key when the file is sealed (this thread's copy: wiped when the reader ends). */
  fileKey?: Uint8Array | undefined;
  settings: ImportSettings;
  /** Int32 [batches sent and not yet written]: the reader waits while MAX_IN_FLIGHT are. */
  flow: SharedArrayBuffer;
}

export type ReaderMessage =
  | { type: 'layout'; layout: Layout }
  | { type: 'batch'; batch: CaseBatch; rowsRead: number; bytesRead: number }
  | { type: 'end'; rowsRead: number; sha256: string; facts: FileFactsSummary }
  | { type: 'error'; kind: 'file' | 'api' | 'internal'; code?: ErrorCode; message: string };

/** Small batches, many in flight: what waits in a batch survives young-generation GCs (and is copied). */
export const BATCH_ROWS = 256;
export const MAX_IN_FLIGHT = 16;

/** A set of 31-bit integers in an open-addressing table (a million entries: 8 MB, not a Map's 60+ MB). */
class IntSet {
  private table = new Int32Array(1 << 16).fill(-1);
  private count = 0;

  /** Adds `v` (≥ 0); false if it was there already. */
  add(v: number): boolean {
    if (this.count * 2 >= this.table.length) this.grow();
    const t = this.table;
    const mask = t.length - 1;
    let i = Math.imul(v, 0x9e3779b1) & mask;
    for (;;) {
      const x = t[i]!;
      if (x === v) return false;
      if (x === -1) {
        t[i] = v;
        this.count++;
        return true;
      }
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2).fill(-1);
    this.count = 0;
    for (const v of old) if (v !== -1) this.add(v);
  }
}

/** The normaliser's options from the import's settings (preview and import alike). */
export function normaliseOptions(s: ImportSettings) {
  return { asOf: s.placementDate, amountPolicy: s.amountPolicy, latestPlacement: s.today };
}

export async function runReader(d: ReaderData, post: (m: ReaderMessage, transfer?: ArrayBuffer[]) => void): Promise<void> {
  const flow = new Int32Array(d.flow);
  const builder = new CaseBatchBuilder(BATCH_ROWS);
  const values: unknown[] = new Array(VALUES_PER_CASE);
  // Hashes of the case numbers seen so far: a case whose hash was seen may repeat an earlier case number,
  // so its original cells go along for the rejection (the writer's unique index decides).
  const seen = new IntSet();
  let layout: Layout | null = null;
  let normalise: ReturnType<typeof compileRowNormaliser> | null = null;
  const facts = new FileFacts();
  let progress = { rowsRead: 0, bytesRead: 0 };

  let waited = 0;
  const send = () => {
    for (;;) {
      const inFlight = Atomics.load(flow, 0);
      if (inFlight < MAX_IN_FLIGHT) break;
      const t = performance.now();
      Atomics.wait(flow, 0, inFlight, 1000);
      waited += performance.now() - t;
    }
    const batch = builder.take();
    Atomics.add(flow, 0, 1);
    post({ type: 'batch', batch, ...progress }, [batch.rowNos.buffer as ArrayBuffer, batch.lens.buffer as ArrayBuffer, batch.nums.buffer as ArrayBuffer]);
  };

  // The file's SHA-256 (the batch's identity) is computed here, alongside the parse: this thread has time
  // to spare, the writer has none.
  const sha256 = sha256File(requestSource(d));
  sha256.catch(() => undefined); // awaited below; a failure before then is not unhandled
  try {
    const { rowsRead } = await walk(
      d,
      (l) => {
        layout = l;
        normalise = compileRowNormaliser(l.columns, normaliseOptions(d.settings));
        post({ type: 'layout', layout: l });
      },
      (rowNo, cells) => {
        const r = normalise!(cells);
        if (!r.ok) builder.reject({ row: rowNo, errors: r.errors, raw: cells.map(cellText) });
        else {
          const c = r.value;
          facts.add(c);
          const raw = seen.add(hash31(c.caseNo)) ? null : cells.map(cellText);
          builder.add(rowNo, caseValues(c, extraOf(layout!.headers, cells, layout!.keep), values), raw);
        }
        if (builder.full) send();
      },
      (p) => {
        progress = p;
      },
    );
    if (builder.size) send();
    if (process.env.AGENCYDESK_IMPORT_PROFILE) console.error(`[import] reader waited for the writer ${waited.toFixed(0)} ms`);
    post({ type: 'end', rowsRead, sha256: await sha256, facts: facts.summary() });
  } catch (e) {
    if (e instanceof FileRejected) post({ type: 'error', kind: 'file', message: e.message });
    else if (e instanceof ApiFailure) post({ type: 'error', kind: 'api', code: e.code, message: e.message });
    else post({ type: 'error', kind: 'internal', message: (e as Error).message });
  } finally {
    await sha256.catch(() => undefined); // done with the file before its key goes
    d.fileKey?.fill(0);
  }
}

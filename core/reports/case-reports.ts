// Writes the status report, contact log and repayments of a package using both cores: the export worker
// reads the cases in chunks and hands most of them to a helper thread to format, formatting a chunk itself
// whenever the helper is busy; the formatted chunks are written in case order, so the files are the same
// bytes whoever formatted what (a test checks this).
import type { Worker } from 'node:worker_threads';
import type { Sink } from './sinks.js';
import { ChunkFormatter, CASE_KINDS, type FormatSetup, type FormattedChunk, type PerKind } from './format-chunk.js';
import { addTotals, type RawChunk, type StatusTotals } from './rows.js';

/** Cases per chunk: large enough that handing one over costs little, small enough to keep memory flat. */
export const CHUNK_CASES = 500;
/** Chunks formatted but not yet written, at most. */
const AHEAD = 10;
/** Chunks waiting for the helper before the worker formats the next one itself. */
const HELPER_QUEUE = 4;

/** A thread that formats chunks (the export worker's helper, started on demand). */
export interface ChunkHelper {
  format(chunk: RawChunk, firstRow: PerKind<number>): Promise<FormattedChunk>;
  readonly waiting: number;
  close(): Promise<void>;
}

export interface CaseReportsOptions {
  /** Starts a helper thread; without it (or until there is enough work for one) the worker formats alone. */
  startHelper?: (setup: FormatSetup) => ChunkHelper;
  /** Chunks the worker formats alone before starting the helper (small packages never start one). */
  helperAfter?: number;
}

interface Slot {
  expected: PerKind<number>;
  result: FormattedChunk | null;
  promise: Promise<FormattedChunk>;
}

export async function writeCaseReports(sinks: PerKind<Sink[]>, chunks: Iterable<RawChunk>, setup: FormatSetup, totals: StatusTotals, opts: CaseReportsOptions = {}): Promise<void> {
  const local = new ChunkFormatter(setup);
  let helper: ChunkHelper | null = null;
  let dispatched = 0;
  const next: PerKind<number> = { status: 2, contacts: 2, repayments: 2 }; // row 1 is the header
  const slots: Slot[] = [];

  const write = async (slot: Slot) => {
    const done = await slot.promise;
    for (const k of CASE_KINDS) {
      const part = done.parts[k];
      if (part.rows !== slot.expected[k]) throw new Error(`internal: a chunk gave ${part.rows} ${k} rows, ${slot.expected[k]} were counted`);
      if (part.rows === 0) continue;
      for (const s of sinks[k]) await s.append((s.format === 'csv' ? part.csv : part.xlsx)!, part.rows);
    }
    addTotals(totals, done.totals);
  };
  const dispatch = async (chunk: RawChunk) => {
    const expected = chunk.rows;
    const first = { ...next };
    for (const k of CASE_KINDS) next[k] += expected[k];
    dispatched++;
    if (!helper && opts.startHelper && dispatched > (opts.helperAfter ?? 2)) helper = opts.startHelper(setup);
    let promise: Promise<FormattedChunk>;
    if (helper && helper.waiting < HELPER_QUEUE) promise = helper.format(chunk, first);
    else promise = Promise.resolve(local.format(chunk, first));
    const slot: Slot = { expected, result: null, promise };
    promise.then((r) => (slot.result = r)).catch(() => undefined);
    slots.push(slot);
    // Let the helper's finished chunks come in, then write every chunk that is ready, in order.
    await new Promise((r) => setImmediate(r));
    while (slots.length > 0 && (slots[0]!.result !== null || slots.length > AHEAD)) await write(slots.shift()!);
  };

  try {
    for (const chunk of chunks) await dispatch(chunk);
    while (slots.length > 0) await write(slots.shift()!);
  } finally {
    await (helper as ChunkHelper | null)?.close();
  }
}

/** The client side of a helper thread running `runChunkHelper` (export-worker.ts starts it). */
export function chunkHelper(worker: Worker): ChunkHelper {
  let nextId = 0;
  const waiting = new Map<number, { resolve: (r: FormattedChunk) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; result: FormattedChunk } | { id: number; error: string }) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if ('error' in m) w.reject(new Error(m.error));
    else w.resolve(m.result);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the formatting thread stopped (exit code ${code})`)));
  return {
    format(chunk, firstRow) {
      const id = nextId++;
      return new Promise<FormattedChunk>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, chunk, firstRow });
      });
    },
    get waiting() {
      return waiting.size;
    },
    async close() {
      failAll(new Error('the formatting thread was closed'));
      await worker.terminate();
    },
  };
}

/** The helper thread's side: formats each chunk it is sent and sends the bytes back (transferred, not copied). */
export function runChunkHelper(setup: FormatSetup, port: { on(e: 'message', f: (m: { id: number; chunk: RawChunk; firstRow: PerKind<number> }) => void): unknown; postMessage(m: unknown, transfer?: ArrayBuffer[]): void }): void {
  const formatter = new ChunkFormatter(setup);
  port.on('message', ({ id, chunk, firstRow }) => {
    try {
      const result = formatter.format(chunk, firstRow);
      const transfer: ArrayBuffer[] = [];
      for (const k of CASE_KINDS) for (const b of [result.parts[k].csv, result.parts[k].xlsx]) if (b) transfer.push(b.buffer as ArrayBuffer);
      port.postMessage({ id, result }, transfer);
    } catch (e) {
      port.postMessage({ id, error: (e as Error).message });
    }
  });
}


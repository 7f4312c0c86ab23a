// Who gets the store's write lock next. SQLite's lock is not fair: a background writer that works in chunks (an
// assignment's parts, an import's search rows, an erasure) takes it again microseconds after each COMMIT, while a
// user's write on the request thread tries again only on its timers — late whenever that thread is busy. So the
// request thread counts its writes waiting for the lock in a cell shared with every worker thread, and a worker
// between two chunks waits while that count is above zero (for a bounded time): users' writes come first.
import { isMainThread } from 'node:worker_threads';

let cell = new Int32Array(new SharedArrayBuffer(4));
const pauseCell = new Int32Array(new SharedArrayBuffer(4));

/** The shared cell, to hand to a worker at its start (workerData). */
export function writePriorityBuffer(): SharedArrayBuffer {
  return cell.buffer as SharedArrayBuffer;
}

/** In a worker: use the cell its parent handed over. */
export function adoptWritePriority(buffer: SharedArrayBuffer | undefined): void {
  if (buffer) cell = new Int32Array(buffer);
}

/** The request thread: one more (+1) or one fewer (-1) of its writes is waiting for the lock. */
export function interactiveWaiting(delta: 1 | -1): void {
  Atomics.add(cell, 0, delta);
}

/** Writes of the request thread waiting for the lock now. */
export function interactiveWaiters(): number {
  return Atomics.load(cell, 0);
}

/**
 * Between two chunks of a background writer: pauses `gapMs`, then, in a worker thread, goes on waiting while a
 * user's write waits for the lock, at most `maxMs`. On the request thread itself it only pauses: the waiting
 * writes run on that very thread and could not get in while it waits.
 */
export function yieldToInteractive(gapMs: number, maxMs = 1_000): void {
  if (gapMs > 0) Atomics.wait(pauseCell, 0, 0, gapMs);
  if (isMainThread) return;
  const until = performance.now() + maxMs;
  while (Atomics.load(cell, 0) > 0 && performance.now() < until) Atomics.wait(pauseCell, 0, 0, 5);
}

// Users' writes come before a background writer's next chunk (db/write-priority.ts): a worker between two chunks
// waits while the request thread has a write waiting for the lock — and no longer than its bound.
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { interactiveWaiting, interactiveWaiters, writePriorityBuffer } from '../../../db/write-priority.js';

const script = new URL('../../fixtures/yield-worker.mjs', import.meta.url);

function pauseInWorker(maxMs: number): Promise<void> {
  const w = new Worker(script, { workerData: { buffer: writePriorityBuffer(), maxMs } });
  return new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  }).finally(() => void w.terminate());
}

describe('write priority between a background writer’s chunks', () => {
  it('waits while a user’s write waits for the lock, and goes on once it got in', async () => {
    interactiveWaiting(+1);
    let released = false;
    const timer = setTimeout(() => {
      released = true;
      interactiveWaiting(-1);
    }, 300);
    try {
      await pauseInWorker(30_000);
    } finally {
      clearTimeout(timer);
      if (!released) interactiveWaiting(-1);
    }
    expect(released, 'the worker took its next chunk while a user’s write was still waiting').toBe(true);
    expect(interactiveWaiters()).toBe(0);
  });

  it('waits no longer than its bound (a write that never gets in cannot stall the job)', async () => {
    interactiveWaiting(+1);
    let released = false;
    const timer = setTimeout(() => {
      released = true;
      interactiveWaiting(-1);
    }, 20_000);
    try {
      await pauseInWorker(200);
      expect(released).toBe(false);
    } finally {
      clearTimeout(timer);
      if (!released) interactiveWaiting(-1);
    }
  });

  it('does not wait when no write is waiting', async () => {
    expect(interactiveWaiters()).toBe(0);
    let late = false;
    const timer = setTimeout(() => (late = true), 20_000);
    await pauseInWorker(60_000);
    clearTimeout(timer);
    expect(late).toBe(false);
  });
});

// Starts an import job and follows it: import.status every ~300 ms until it is done, failed or cancelled.
import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../context.js';
import type { MethodInput } from '../../../shared/contract/registry.js';
import type { ImportJob } from '../../../shared/contract/placements.js';

const POLL_MS = 300;

export interface ImportJobState {
  job: ImportJob | null;
  /** A call (start, status, cancel) that failed: the job's fate is then unknown to the page. */
  callError: unknown;
  starting: boolean;
  cancelling: boolean;
  start: (input: MethodInput<'import.start'>) => Promise<void>;
  cancel: () => Promise<void>;
}

export function useImportJob(): ImportJobState {
  const api = useApi();
  const [job, setJob] = useState<ImportJob | null>(null);
  const [callError, setCallError] = useState<unknown>(null);
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);

  // Each new status object schedules the next poll; polling stops with the job or on a failed call.
  useEffect(() => {
    if (!job || job.state !== 'running') return;
    let stopped = false;
    const timer = setTimeout(() => {
      api.call('import.status', { jobId: job.jobId }).then(
        (j) => !stopped && setJob(j),
        (e: unknown) => !stopped && setCallError(e),
      );
    }, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, job]);

  const start = useCallback(
    async (input: MethodInput<'import.start'>) => {
      setStarting(true);
      setCallError(null);
      setCancelling(false);
      try {
        const { jobId } = await api.call('import.start', input);
        setJob({ jobId, state: 'running', phase: 'reading', rowsRead: 0, bytesRead: 0, totalBytes: 0, result: null, error: null });
      } catch (e) {
        setJob(null);
        setCallError(e);
      } finally {
        setStarting(false);
      }
    },
    [api],
  );

  const cancel = useCallback(async () => {
    if (!job) return;
    setCancelling(true);
    try {
      // The worker stops shortly after; the next polls report 'cancelled'.
      setJob(await api.call('import.cancel', { jobId: job.jobId }));
    } catch (e) {
      setCallError(e);
    }
  }, [api, job]);

  return { job, callError, starting, cancelling, start, cancel };
}

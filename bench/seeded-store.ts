// The store the backup, erasure and rekey benchmarks start from: set up through the API (an admin, key slots),
// then filled by SQL as the dashboard benchmark seeds it (cases, payments, contact attempts).
import { createBackend, type Backend } from '../core/backend.js';
import { figure, timeAsync } from './report.js';

export const PASSWORD = 'bench password 1';

/** One call; a refusal stops the benchmark with its code and message. */
export async function call(backend: Backend, method: string, input: unknown, session?: string): Promise<Record<string, any>> {
  const env = await backend.dispatch(method, input, { session });
  if (!env.ok) throw new Error(`${method}: ${env.error.code} ${env.error.message}`);
  return env.value as Record<string, any>;
}

/** Sets up a store in `storeDir`, seeds it (printing how long that took as `label`), and answers its recovery key. */
export async function seededStore(storeDir: string, label: string): Promise<{ recoveryKey: string }> {
  const { seedDashboard } = await import('./dashboard.bench.js');
  const backend = createBackend({ storeDir, host: 'test', sweepEveryMs: 0 });
  let recoveryKey: string;
  try {
    recoveryKey = (await call(backend, 'system.setup', { agencyName: 'Bench', admin: { username: 'admin', displayName: 'Admin', password: PASSWORD } })).recoveryKey as string;
  } finally {
    backend.close();
  }
  const seeded = await timeAsync(async () => seedDashboard(storeDir, recoveryKey));
  figure(label, seeded.ms / 1000, 's');
  return { recoveryKey };
}

// keys.rekey starts a background job (core/rekey-job.ts): tests follow it with keys.rekeyStatus, as the CLI and
// the admin screen do, and get the same result the call used to answer.
import type { Client } from './store.js';
import type { MethodOutput } from '../../shared/contract/registry.js';

export type RekeyResult = NonNullable<MethodOutput<'keys.rekeyStatus'>['result']>;

export async function rekeyAndWait(c: Client, input: { newRecoveryKey?: boolean } = {}): Promise<RekeyResult> {
  const { jobId } = await c.call('keys.rekey', input as never);
  for (;;) {
    const j = await c.call('keys.rekeyStatus', { jobId });
    if (j.state === 'done') return j.result!;
    if (j.state === 'failed') throw Object.assign(new Error(`rekey failed: ${j.error?.code}: ${j.error?.message}`), { api: j.error });
    await new Promise((r) => setTimeout(r, 25));
  }
}

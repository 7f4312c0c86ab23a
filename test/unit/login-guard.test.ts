// The team server's login guard (server/login-guard.ts), the part the 40-wrong-logins integration test does not
// reach: across different usernames at most `maxKdf` key derivations run at once, a few more wait their turn, and
// beyond the queue a login is told BUSY with a retry-after before anything runs; a failure from an address is
// counted when the attempt starts and forgiven by a success.
import { describe, expect, it } from 'vitest';
import { LoginGuard } from '../../server/login-guard.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('login guard', () => {
  it('runs at most maxKdf derivations at once, queues maxQueue more, refuses the rest BUSY', async () => {
    const guard = new LoginGuard({ maxKdf: 2, maxQueue: 2, now: Date.now });
    let running = 0;
    let peak = 0;
    const release = gate();
    const attempt = () => async () => {
      running++;
      peak = Math.max(peak, running);
      await release.opened;
      running--;
      return { ok: false, value: 'wrong' };
    };
    const started: Promise<string>[] = [];
    for (const u of ['a', 'b', 'c', 'd']) {
      expect(guard.check(u, `10.0.0.${u.charCodeAt(0)}`)).toBeNull();
      started.push(guard.run(u, `10.0.0.${u.charCodeAt(0)}`, attempt()));
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(running).toBe(2); // two derive, two wait
    const refused = guard.check('e', '10.0.0.99');
    expect(refused).toMatchObject({ code: 'BUSY' });
    expect(refused!.retryAfterSeconds).toBeGreaterThan(0);
    release.open();
    expect(await Promise.all(started)).toEqual(['wrong', 'wrong', 'wrong', 'wrong']);
    expect(peak).toBe(2);
    // The queue drained: the next login is let through.
    expect(guard.check('e', '10.0.0.99')).toBeNull();
  });

  it('counts an attempt against its address when it starts, and a success forgives the address', async () => {
    let t = 1_000_000;
    const guard = new LoginGuard({ maxKdf: 2, maxQueue: 8, now: () => t });
    for (let i = 0; i < 9; i++) await guard.run(`user${i}`, '10.0.0.7', async () => ({ ok: false, value: null }));
    expect(guard.failuresFrom('10.0.0.7')).toBe(9);
    const wait = guard.check('someone', '10.0.0.7');
    expect(wait).toMatchObject({ code: 'LOCKED_OUT' });
    // Another desk is not held back by this one's failures.
    expect(guard.check('someone', '10.0.0.8')).toBeNull();
    t += wait!.retryAfterSeconds * 1000 + 1;
    expect(guard.check('someone', '10.0.0.7')).toBeNull();
    await guard.run('someone', '10.0.0.7', async () => ({ ok: true, value: null }));
    expect(guard.failuresFrom('10.0.0.7')).toBe(0);
  });
});

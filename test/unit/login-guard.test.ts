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

  it('keeps every refusal for the audit log, one record per address, username and reason, and a flood under "*"', async () => {
    let t = Date.parse('2026-12-07T02:00:00Z');
    const guard = new LoginGuard({ maxKdf: 2, maxQueue: 8, now: () => t });
    for (let i = 0; i < 9; i++) await guard.run(`user${i}`, '10.0.0.7', async () => ({ ok: false, value: null }));
    expect(guard.check('mgr', '10.0.0.7')).toMatchObject({ code: 'LOCKED_OUT' });
    t += 1000;
    expect(guard.check('mgr', '10.0.0.7')).toMatchObject({ code: 'LOCKED_OUT' });
    expect(guard.takeRefusals()).toEqual([
      { address: '10.0.0.7', username: 'mgr', reason: 'address-delay', count: 2, firstAt: '2026-12-07T02:00:00.000Z', lastAt: '2026-12-07T02:00:01.000Z' },
    ]);
    // Taken: not written twice.
    expect(guard.takeRefusals()).toEqual([]);
    // Many usernames from one address: at most 1,000 records, the rest counted under '*'.
    for (let i = 0; i < 1500; i++) guard.check(`guess${i}`, '10.0.0.7');
    const flood = guard.takeRefusals();
    expect(flood.length).toBe(1001);
    expect(flood.reduce((n, r) => n + r.count, 0)).toBe(1500);
    expect(flood.find((r) => r.username === '*')!.count).toBe(500);
    // Put back when they could not be written (the store locked), merged with what came meanwhile.
    guard.putBack(flood.slice(0, 2));
    guard.check('guess0', '10.0.0.7');
    const again = guard.takeRefusals();
    expect(again.find((r) => r.username === 'guess0')!.count).toBe(2);
    expect(again.reduce((n, r) => n + r.count, 0)).toBe(3);
  });
});

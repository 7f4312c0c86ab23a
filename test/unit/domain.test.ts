import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { lockoutDelaySeconds, retryAfterSeconds, MAX_DELAY_SECONDS } from '../../shared/domain/lockout.js';
import { formatRecoveryKey, parseRecoveryKey } from '../../shared/domain/recovery-key.js';
import { usernameSchema, passwordSchema } from '../../shared/domain/credentials.js';
import { can, permissionsOf } from '../../shared/domain/roles.js';
import { APP_VERSION } from '../../shared/version.js';

describe('lockout delays', () => {
  it('allow three attempts, then double from 5 s up to 15 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(lockoutDelaySeconds)).toEqual([0, 0, 0, 5, 10, 20, 40]);
    expect(lockoutDelaySeconds(50)).toBe(MAX_DELAY_SECONDS);
  });
  it('count down from the last failure', () => {
    const t = 1_000_000;
    expect(retryAfterSeconds(3, t, t + 1000)).toBe(4);
    expect(retryAfterSeconds(3, t, t + 5000)).toBe(0);
    expect(retryAfterSeconds(2, t, t)).toBe(0);
  });
});

describe('recovery key', () => {
  it('round-trips any 32 bytes through the written form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const text = formatRecoveryKey(bytes);
        expect(text).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{1,4}){12}$/);
        expect(parseRecoveryKey(text)).toEqual(bytes);
        expect(parseRecoveryKey(text.toLowerCase().replace(/-/g, ' '))).toEqual(bytes);
      }),
    );
  });
  it('rejects typos that change the length or use letters outside base32', () => {
    const text = formatRecoveryKey(new Uint8Array(32).fill(7));
    expect(parseRecoveryKey(text.slice(1))).toBeNull();
    expect(parseRecoveryKey(text.replace(/^./, '1'))).toBeNull();
    expect(parseRecoveryKey('')).toBeNull();
  });
});

describe('credentials and roles', () => {
  it('normalises usernames and refuses odd ones', () => {
    expect(usernameSchema.parse('  ZhangSan ')).toBe('zhangsan');
    for (const bad of ['a', '-lead', 'has space', 'x'.repeat(40), '张三']) expect(usernameSchema.safeParse(bad).success, bad).toBe(false);
  });
  it('wants passwords of at least 10 characters', () => {
    expect(passwordSchema.safeParse('short pw').success).toBe(false);
    expect(passwordSchema.safeParse('long enough').success).toBe(true);
  });
  it('gives each role only its permissions', () => {
    expect(can('admin', 'users.manage')).toBe(true);
    expect(can('manager', 'users.manage')).toBe(false);
    expect(can('auditor', 'audit.read')).toBe(true);
    expect(permissionsOf('collector')).toEqual(['cases.read', 'cases.work']);
    expect(can('auditor', 'compliance.report')).toBe(true);
    expect(can('collector', 'assign.manage')).toBe(false);
    expect(can('manager', 'compliance.override')).toBe(true);
    expect(can('auditor', 'cases.work')).toBe(false);
  });
  it('APP_VERSION follows package.json', () => {
    expect(APP_VERSION).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});

// The `agencydesk` command line, run as a user would: the built bin, real processes, one store.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { removeDir, tempDir } from '../helpers/store.js';
import { METHOD_NAMES } from '../../shared/contract/registry.js';
import { LATEST_SCHEMA } from '../../db/migrations/index.js';

const BIN = path.resolve('bin/agencydesk.mjs');
const ADMIN_PW = 'cli admin pw 1';
let store: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, AGENCYDESK_PASSWORD: ADMIN_PW, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  expect(existsSync('dist/cli/main.mjs'), 'run `npm run build` first').toBe(true);
  store = tempDir();
});
afterAll(() => removeDir(store));

describe('agencydesk CLI', () => {
  it('init creates the store and prints the recovery key once', () => {
    const r = cli(['init', '--store', store, '--agency', '华信催收', '--json'], { AGENCYDESK_NEW_PASSWORD: ADMIN_PW });
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out).toMatchObject({ admin: 'admin', store });
    expect(out.recoveryKey).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{1,4}){12}$/);
    const again = cli(['init', '--store', store], { AGENCYDESK_NEW_PASSWORD: ADMIN_PW });
    expect(again.code).toBe(1);
    expect(again.err.trim()).toBe('agencydesk: ALREADY_INITIALIZED: This store is already set up: log in instead.');
  });

  it('adds users (creating the team), lists and disables them', () => {
    const add = cli(['user', 'add', '--store', store, '--username', 'zhangsan', '--role', 'collector', '--team', 'M1组', '--name', '张三', '--json'], {
      AGENCYDESK_NEW_PASSWORD: 'zhangsan pw 1',
    });
    expect(add.code, add.err).toBe(0);
    expect(JSON.parse(add.out)).toMatchObject({ username: 'zhangsan', role: 'collector', teamName: 'M1组', status: 'active' });
    const list = JSON.parse(cli(['user', 'list', '--store', store, '--json']).out) as { username: string }[];
    expect(list.map((u) => u.username)).toEqual(['admin', 'zhangsan']);
    expect(cli(['user', 'disable', '--store', store, '--username', 'zhangsan']).code).toBe(0);
    const after = JSON.parse(cli(['user', 'list', '--store', store, '--json']).out) as { username: string; status: string }[];
    expect(after.find((u) => u.username === 'zhangsan')?.status).toBe('disabled');
  });

  it('refuses bad input and a wrong password with a one-line reason and a non-zero exit', () => {
    const bad = cli(['user', 'add', '--store', store, '--username', 'x y', '--role', 'collector'], { AGENCYDESK_NEW_PASSWORD: 'long enough pw' });
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/BAD_INPUT: Invalid input at username/);
    const wrong = cli(['user', 'list', '--store', store], { AGENCYDESK_PASSWORD: 'not the password' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/WRONG_PASSWORD/);
  });

  it('applies the same permissions as the UI', () => {
    cli(['user', 'add', '--store', store, '--username', 'lisi', '--role', 'collector'], { AGENCYDESK_NEW_PASSWORD: 'lisi pw 123' });
    const r = cli(['call', '--store', store, 'users.list', '{}'], { AGENCYDESK_USER: 'lisi', AGENCYDESK_PASSWORD: 'lisi pw 123' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/FORBIDDEN/);
  });

  it('check reports integrity, schema level and the audit chain', () => {
    const r = cli(['check', '--store', store, '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ integrityOk: true, schemaVersion: LATEST_SCHEMA, audit: { ok: true } });
  });

  it('methods lists the whole registry; call invokes any method', () => {
    const methods = JSON.parse(cli(['methods', '--json']).out) as { name: string }[];
    expect(methods.map((m) => m.name)).toEqual(METHOD_NAMES);
    const r = cli(['call', '--store', store, 'audit.list', '{"limit":2,"action":"users.disable"}']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).entries[0]).toMatchObject({ action: 'users.disable', actor: 'admin', host: expect.stringMatching(/^cli@/) });
    expect(cli(['call', '--store', store, 'audit.list', '{not json']).err).toMatch(/not valid JSON/);
  });
});

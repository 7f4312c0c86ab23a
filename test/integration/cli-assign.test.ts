// `agencydesk import` then `agencydesk assign`, as a scripted nightly job would run them.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeDir, tempDir } from '../helpers/store.js';
import { makeRows, toCsv, PLACEMENT_HEADERS } from '../helpers/placement-data.js';

const BIN = path.resolve('bin/agencydesk.mjs');
const PW = 'cli assign pw 1';
let store: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, AGENCYDESK_PASSWORD: PW, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  store = tempDir();
  expect(cli(['init', '--store', store], { AGENCYDESK_NEW_PASSWORD: PW }).code).toBe(0);
  expect(cli(['lender', 'add', '--store', store, '--code', 'PAYD', '--name', '平安i贷']).code).toBe(0);
  for (const u of ['wang', 'li']) {
    const r = cli(['user', 'add', '--store', store, '--username', u, '--role', 'collector', '--team', 'A组'], { AGENCYDESK_NEW_PASSWORD: `${u} pw 12345` });
    expect(r.code, r.err).toBe(0);
  }
  const file = path.join(store, 'placement.csv');
  writeFileSync(file, toCsv([PLACEMENT_HEADERS, ...makeRows(40, 3)]));
  const imp = cli(['import', '--store', store, '--lender', 'PAYD', '--batch', 'B-001', file]);
  expect(imp.code, imp.err).toBe(0);
}, 60_000);
afterAll(() => removeDir(store));

describe('agencydesk assign', () => {
  it('--dry-run shows the plan per collector and changes nothing', () => {
    const dry = cli(['assign', '--store', store, '--batch', 'B-001', '--rule', 'balanced', '--team', 'A组', '--dry-run', '--json']);
    expect(dry.code, dry.err).toBe(0);
    const plan = JSON.parse(dry.out);
    expect(plan).toMatchObject({ assigned: 40, selected: 40, dryRun: true, assignmentId: null });
    expect(plan.perCollector.map((p: { collector: string }) => p.collector)).toEqual(['li', 'wang']);
    const pool = JSON.parse(cli(['call', '--store', store, 'cases.list', '{"unassigned":true,"limit":1}']).out);
    expect(pool.total).toBe(40);
  });

  it('assigns a batch to a team by the balanced rule and prints the figures', () => {
    const r = cli(['assign', '--store', store, '--batch', 'B-001', '--rule', 'balanced', '--team', 'A组', '--json']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { assigned: number; perCollector: { collector: string; cases: number; amountFen: number }[]; spread: number };
    expect(out.assigned).toBe(40);
    expect(out.perCollector.reduce((n, p) => n + p.cases, 0)).toBe(40);
    expect(out.perCollector.every((p) => Number.isInteger(p.amountFen) && p.amountFen > 0)).toBe(true);
    expect(out.spread).toBeLessThan(0.2);
    const text = cli(['assign', '--store', store, '--batch', 'B-001', '--team', 'A组', '--dry-run']);
    expect(text.out).toMatch(/would assign 0 of 40 cases by balanced; 40 stay with their collector/);
  });

  it('names what is wrong with a one-line error and exit 1', () => {
    const team = cli(['assign', '--store', store, '--batch', 'B-001', '--team', '不存在']);
    expect(team.code).toBe(1);
    expect(team.err.trim()).toBe('agencydesk: NOT_FOUND: No team named 不存在.');
    expect(cli(['assign', '--store', store, '--batch', 'NOPE']).err.trim()).toBe('agencydesk: NOT_FOUND: No batch NOPE.');
    expect(cli(['assign', '--store', store, '--batch', 'B-001', '--rule', 'random']).err).toMatch(/--rule must be one of/);
    const collector = cli(['assign', '--store', store, '--batch', 'B-001'], { AGENCYDESK_USER: 'wang', AGENCYDESK_PASSWORD: 'wang pw 12345' });
    expect(collector.code).toBe(1);
    expect(collector.err).toMatch(/FORBIDDEN/);
  });
});

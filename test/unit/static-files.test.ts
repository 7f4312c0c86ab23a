import { describe, it, expect, beforeAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveStatic, contentType } from '../../web/static-files.js';
import { tempDir } from '../helpers/store.js';

let root: string;
beforeAll(() => {
  const dir = tempDir();
  root = path.join(dir, 'ui');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(root, 'assets', 'app.js'), '');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside');
});

describe('static files of the web host', () => {
  it('serves files inside the UI folder', () => {
    expect(resolveStatic(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStatic(root, '/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(contentType('x.js')).toMatch(/javascript/);
  });
  it('refuses anything outside it, however encoded', () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00index.html', '/%E0%A4%A', '/assets', '/missing.js']) {
      expect(resolveStatic(root, p), p).toBeNull();
    }
  });
});

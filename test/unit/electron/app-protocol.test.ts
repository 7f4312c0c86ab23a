import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_URL, contentTypeFor, resolveAppFile, serveAppRequest } from '../../../electron/app-protocol.js';
import { SECURITY_HEADERS } from '../../../shared/security/csp.js';

const root = path.resolve('/srv/agencydesk/dist/renderer');

describe('resolveAppFile', () => {
  it('maps app URLs to files inside the root', () => {
    expect(APP_URL).toBe('app://agencydesk/index.html');
    expect(resolveAppFile(root, APP_URL)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://agencydesk/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://agencydesk/assets/index-abc.js')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveAppFile(root, 'app://agencydesk/assets/a.js?v=1#x')).toBe(path.join(root, 'assets', 'a.js'));
    expect(resolveAppFile(root, 'app://agencydesk/fonts/%E4%B8%AD%E6%96%87.woff2')).toBe(path.join(root, 'fonts', '中文.woff2'));
    expect(resolveAppFile(root, 'APP://AGENCYDESK/index.html')).toBe(path.join(root, 'index.html'));
  });

  it.each([
    ['wrong host', 'app://evil/index.html'],
    ['wrong scheme', 'file:///srv/agencydesk/dist/renderer/index.html'],
    ['https', 'https://agencydesk/index.html'],
    ['port', 'app://agencydesk:8080/index.html'],
    ['credentials', 'app://user:pw@agencydesk/index.html'],
    ['not a URL', 'index.html'],
    ['empty', ''],
  ])('rejects %s', (_name, url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });

  it.each([
    'app://agencydesk/../secret.txt',
    'app://agencydesk/assets/../../secret.txt',
    'app://agencydesk/%2e%2e/secret.txt',
    'app://agencydesk/%2E%2E/%2e%2e/etc/passwd',
    'app://agencydesk/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://agencydesk/..%2fsecret.txt',
    'app://agencydesk/..%5csecret.txt',
    'app://agencydesk/assets%5c..%5c..%5csecret.txt',
    'app://agencydesk/%2fetc%2fpasswd',
    'app://agencydesk//etc/passwd',
    'app://agencydesk/C:/Windows/win.ini',
    'app://agencydesk/C%3A%5CWindows%5Cwin.ini',
    'app://agencydesk/index.html%00.png',
    'app://agencydesk/%E0%A4%A', // malformed escape
  ])('refuses traversal / absolute / null byte: %s', (url) => {
    const r = resolveAppFile(root, url);
    // Either refused, or (the URL parser folded the dots before we saw them) still strictly inside the root.
    if (r !== null) expect(r.startsWith(root + path.sep)).toBe(true);
  });

  it('never leaves the root, and refuses the encoded forms outright', () => {
    expect(resolveAppFile(root, 'app://agencydesk/..%2fsecret.txt')).toBeNull();
    expect(resolveAppFile(root, 'app://agencydesk/%2e%2e%2fsecret.txt')).toBeNull();
    expect(resolveAppFile(root, 'app://agencydesk/index.html%00.png')).toBeNull();
    expect(resolveAppFile(root, 'app://agencydesk/%2fetc%2fpasswd')).toBeNull();
    expect(resolveAppFile(root, 'app://agencydesk/C:/Windows/win.ini')).toBeNull();
    expect(resolveAppFile(root, 'app://agencydesk/..%5csecret.txt')).toBeNull();
  });
});

describe('contentTypeFor', () => {
  it('knows the renderer asset types', () => {
    expect(contentTypeFor('a/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a/x.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a/x.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a/x.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('a/x.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a/x.bin')).toBe('application/octet-stream');
  });
});

describe('serveAppRequest', () => {
  const files = new Map<string, string>([
    [path.join(root, 'index.html'), '<!doctype html><title>AgencyDesk</title>'],
    [path.join(root, 'assets', 'app.js'), 'console.log(1)'],
  ]);
  const access = { read: (f: string) => (files.has(f) ? new TextEncoder().encode(files.get(f)) : null) };

  function expectSecurityHeaders(headers: Record<string, string>) {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(headers[k]).toBe(v);
    expect(headers['Content-Security-Policy']).toContain("script-src 'self'");
  }

  it('serves files with their type and every security header', () => {
    const r = serveAppRequest(root, 'GET', 'app://agencydesk/assets/app.js', access);
    expect(r.status).toBe(200);
    expect(r.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(new TextDecoder().decode(r.body as Uint8Array)).toBe('console.log(1)');
    expectSecurityHeaders(r.headers);
  });

  it('falls back to index.html for client-side routes only', () => {
    const route = serveAppRequest(root, 'GET', 'app://agencydesk/users/42', access);
    expect(route.status).toBe(200);
    expect(route.headers['Content-Type']).toBe('text/html; charset=utf-8');
    const missing = serveAppRequest(root, 'GET', 'app://agencydesk/assets/missing.js', access);
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing.headers);
  });

  it('answers 404 for refused URLs and 405 for other methods, with the headers', () => {
    const trav = serveAppRequest(root, 'GET', 'app://agencydesk/%2e%2e%2fsecret.txt', access);
    expect(trav.status).toBe(404);
    expectSecurityHeaders(trav.headers);
    const post = serveAppRequest(root, 'POST', APP_URL, access);
    expect(post.status).toBe(405);
    expectSecurityHeaders(post.headers);
  });

  it('HEAD has no body', () => {
    const r = serveAppRequest(root, 'HEAD', APP_URL, access);
    expect(r.status).toBe(200);
    expect(r.body).toBeNull();
  });
});

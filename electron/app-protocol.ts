// The app:// protocol that serves the built UI (dist/renderer) to the window. Pure: no `electron` import.
// Only files inside the renderer folder are served, always with the security headers (CSP included).
import path from 'node:path';
import { SECURITY_HEADERS } from '../shared/security/csp.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'agencydesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** Privileges for protocol.registerSchemesAsPrivileged (must run before the app is ready). */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  // Everything else stays off: no CSP bypass, no service workers, no CORS from other origins.
  bypassCSP: false,
  allowServiceWorkers: false,
  corsEnabled: false,
  stream: false,
} as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The absolute path inside `rootDir` that an app:// URL names, or null when the URL is not ours or tries to leave
 * the folder (`..`, encoded `%2e%2e`, backslashes, absolute or drive paths, null bytes). Does not touch the disk.
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname.toLowerCase() !== APP_HOST || url.port !== '' || url.username !== '' || url.password !== '') {
    return null;
  }
  // The URL parser already folds `.`/`..` segments; the raw text is checked as well, before and after decoding.
  const rawPath = url.pathname;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (!decoded.startsWith('/') || decoded.startsWith('//')) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.slice(1);
  const segments = rel.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  // A drive letter or UNC-ish first segment ("C:") would make path.resolve leave the root on Windows.
  if (/^[a-zA-Z]:/.test(rel) || path.isAbsolute(rel)) return null;
  const base = path.resolve(rootDir);
  const file = path.resolve(base, ...segments.filter((s) => s !== ''));
  if (file === base || !file.startsWith(base + path.sep)) return null;
  return file;
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string | null;
}

export interface FileAccess {
  /** The file's bytes, or null if there is no such regular file. */
  read(file: string): Uint8Array | null;
}

function reply(status: number, body: string | Uint8Array | null, contentType: string, extra: Record<string, string> = {}): AppResponse {
  return {
    status,
    body,
    headers: { ...SECURITY_HEADERS, 'Content-Type': contentType, 'Cache-Control': 'no-store', ...extra },
  };
}

/**
 * Answers one app:// request. Paths without a file extension that do not exist fall back to index.html
 * (client-side routes); every response carries SECURITY_HEADERS.
 */
export function serveAppRequest(rootDir: string, method: string, requestUrl: string, files: FileAccess): AppResponse {
  if (method !== 'GET' && method !== 'HEAD') return reply(405, 'Method not allowed', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
  const file = resolveAppFile(rootDir, requestUrl);
  if (!file) return reply(404, 'Not found', 'text/plain; charset=utf-8');
  let target = file;
  let body = files.read(file);
  if (body === null && path.extname(file) === '') {
    target = path.join(path.resolve(rootDir), 'index.html');
    body = files.read(target);
  }
  if (body === null) return reply(404, 'Not found', 'text/plain; charset=utf-8');
  return reply(200, method === 'HEAD' ? null : body, contentTypeFor(target));
}

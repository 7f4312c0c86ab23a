// GET /api/package/<exportId> on every HTTP host (the loopback web host and the team server): a report
// package as a .zip download — the written .zip, or the package folder zipped on the fly. The caller's
// session is checked by `reports.package`, which also audits the download.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Backend, DispatchMeta } from '../core/backend.js';
import type { Envelope } from '../shared/contract/envelope.js';
import { SECURITY_HEADERS } from '../shared/security/csp.js';
import { zipFolderTo } from '../core/reports/zip-folder.js';

/** Writes the package to `res`; when the call is refused, answers with its envelope and a fitting status. */
export async function sendPackage(backend: Pick<Backend, 'dispatch'>, exportId: number, meta: DispatchMeta, res: ServerResponse, extraHeaders: Record<string, string> = {}): Promise<void> {
  const env = await backend.dispatch('reports.package', { exportId }, meta);
  if (!env.ok) {
    const status = env.error.code === 'NOT_FOUND' ? 404 : env.error.code === 'FORBIDDEN' ? 403 : env.error.code === 'UNAUTHENTICATED' || env.error.code === 'SESSION_EXPIRED' ? 401 : 200;
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS, ...extraHeaders });
    res.end(JSON.stringify(env satisfies Envelope<unknown>));
    return;
  }
  const pkg = env.value as { path: string; zip: boolean; fileName: string };
  res.writeHead(200, {
    'Content-Type': 'application/zip',
    'Content-Disposition': `attachment; filename="${pkg.fileName.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(pkg.fileName)}`,
    'Cache-Control': 'no-store',
    ...SECURITY_HEADERS,
    ...extraHeaders,
  });
  try {
    if (pkg.zip) await pipeline(createReadStream(pkg.path), res);
    else await zipFolderTo(pkg.path, path.basename(pkg.path), res);
  } catch (e) {
    // Headers are gone: all that can be done is to cut the response, so the browser does not keep a truncated zip as complete.
    console.error('[agencydesk] package download failed:', e instanceof Error ? e.message : String(e));
    res.destroy();
  }
}

// Which script a worker thread runs: the built bundle in dist/workers/ (what the app ships), or the
// TypeScript source under tests. Benchmarks run from source too, but set AGENCYDESK_WORKERS_DIR to
// dist/workers so that they measure the built workers, not the TypeScript loader compiling them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** `bundle`: file name in dist/workers/; `here`: the caller's import.meta.url; `fromSource`: its source runner. */
export function workerScript(bundle: string, here: string, fromSource: string): URL {
  const dir = process.env.AGENCYDESK_WORKERS_DIR;
  if (dir && existsSync(path.join(dir, bundle))) return pathToFileURL(path.join(dir, bundle));
  const bundled = new URL(`../workers/${bundle}`, here);
  return existsSync(fileURLToPath(bundled)) ? bundled : new URL(fromSource, here);
}

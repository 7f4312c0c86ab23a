// A kill test's child process, bundled once (as dist/ is): under tsx each start took ~5 s on a loaded machine,
// bundled ~1 s. The output sits inside the repository so that the native modules resolve from node_modules.
import { build } from 'esbuild';

/** Bundles `entry` into `outdir/<name>.mjs`. */
export async function bundleChild(name: string, entry: string, outdir: string): Promise<void> {
  await build({
    entryPoints: { [name]: entry },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['better-sqlite3-multiple-ciphers'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
}

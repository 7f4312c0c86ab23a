// Zips a package folder, streamed (a package can be hundreds of MB): one folder inside the zip, named
// after the package, holding the files as written. Used to publish a .zip package, by the web host to
// hand a folder package to the browser, and by the desktop app's "save as .zip".
import { createReadStream, createWriteStream, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Zip, ZipDeflate } from 'fflate';

/** Writes the zip of `dir` (files only, sorted, inside `folder/`) to `out` and ends it. */
export async function zipFolderTo(dir: string, folder: string, out: Writable): Promise<void> {
  let failed: Error | null = null;
  const zip = new Zip((err, chunk, final) => {
    if (err) failed = err;
    else {
      out.write(chunk);
      if (final) out.end();
    }
  });
  for (const name of readdirSync(dir).sort()) {
    if (!statSync(path.join(dir, name)).isFile()) continue;
    const entry = new ZipDeflate(`${folder}/${name}`, { level: 6 });
    zip.add(entry);
    for await (const chunk of createReadStream(path.join(dir, name), { highWaterMark: 1024 * 1024 })) {
      entry.push(chunk as Uint8Array);
      if (failed) throw failed;
      if (out.destroyed) throw new Error('the zip could not be written: its destination closed');
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    entry.push(new Uint8Array(0), true);
  }
  zip.end();
  if (failed) throw failed;
}

/** Zips `dir` into the file `dest` (removed again if anything fails). */
export async function zipFolder(dir: string, dest: string, folder: string): Promise<void> {
  const out = createWriteStream(dest);
  try {
    const closed = once(out, 'close');
    await zipFolderTo(dir, folder, out);
    await closed;
  } catch (e) {
    out.destroy();
    rmSync(dest, { force: true });
    throw e;
  }
}

// Verifies a report package (a folder or a .zip) without any store: the detached Ed25519 signatures of
// manifest.json and (format /2) SHA256SUMS, then every file against the SHA-256 the manifest lists,
// naming each file that fails.
// The same check accepts packages a lender signed with their registered key.
// Damage is a verdict, not an exception: a package whose .zip cannot be opened, or one of whose files cannot
// be read out of it (a broken deflate stream, a wrong size), is `valid: false` naming the file and why — the
// lender's clerk runs this on what we sent. An upload sealed at rest that fails to decrypt (UploadDamaged,
// BAD_INPUT "upload it again") is thrown instead: that is our copy on disk, not the package.
import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type yauzl from 'yauzl';
import { openZipSource, type FileSource } from '../import/read/file-source.js';
import type { VerifyResult } from '../../shared/contract/reports.js';
import { ApiFailure } from '../../shared/contract/failure.js';
import { fingerprintOf } from './keys.js';
import { MANIFEST, PUBLIC_KEY, SIGNATURE, SUMS, SUMS_SIGNATURE } from './package.js';

export interface KnownKey {
  kind: 'agency' | 'lender';
  name: string;
  publicPem: string;
}

/** Files of a package by name (the folder a zip holds is looked through): small ones read, big ones hashed. */
interface Entries {
  names: string[];
  read(name: string): Promise<Buffer>;
  sha256(name: string): Promise<string>;
  close(): void;
}

const MAX_SMALL = 1024 * 1024;

const AGAIN = 'ask the sender for the package again';
/** Why a file of the package could not be read; an ApiFailure (a damaged sealed upload) is not the package's. */
function unreadable(e: unknown): string {
  if (e instanceof ApiFailure) throw e;
  return `cannot be read (${(e as Error).message}): the package is damaged or incomplete — ${AGAIN}`;
}

function folderEntries(dir: string): Entries {
  const names = readdirSync(dir).filter((n) => statSync(path.join(dir, n)).isFile());
  return {
    names,
    read: async (name) => readFileSync(path.join(dir, name)),
    sha256: async (name) => {
      const h = createHash('sha256');
      for await (const c of createReadStream(path.join(dir, name), { highWaterMark: 1024 * 1024 })) h.update(c as Buffer);
      return h.digest('hex');
    },
    close: () => {},
  };
}

async function zipEntries(file: FileSource): Promise<Entries> {
  // A sealed upload is read with random access, decrypting only what each read covers.
  const zip = await openZipSource(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      if (!e.fileName.endsWith('/')) entries.set(e.fileName, e);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  // Files sit in one folder inside the zip (as AgencyDesk writes it) or at its top.
  const prefix = [...entries.keys()].find((n) => n.endsWith(`/${MANIFEST}`))?.slice(0, -MANIFEST.length) ?? '';
  const byName = new Map([...entries].filter(([n]) => n.startsWith(prefix) && !n.slice(prefix.length).includes('/')).map(([n, e]) => [n.slice(prefix.length), e]));
  const open = (name: string) =>
    new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(byName.get(name)!, (err, s) => (err ? reject(err) : resolve(s))));
  return {
    names: [...byName.keys()],
    read: async (name) => {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const c of await open(name)) {
        size += (c as Buffer).length;
        if (size > MAX_SMALL) throw new Error(`${name} is too large for what it should be`);
        chunks.push(c as Buffer);
      }
      return Buffer.concat(chunks);
    },
    sha256: async (name) => {
      const h = createHash('sha256');
      for await (const c of await open(name)) h.update(c as Buffer);
      return h.digest('hex');
    },
    close: () => zip.close(),
  };
}

export async function verifyPackage(
  source: string | FileSource,
  opts: { publicKeyPem?: string | undefined; known?: readonly KnownKey[]; /** how to name an upload (its path is an id) */ name?: string | undefined } = {},
): Promise<VerifyResult> {
  const failures: VerifyResult['failures'] = [];
  const files: VerifyResult['files'] = [];
  const src = typeof source === 'string' ? { path: source } : source;
  const packagePath = src.path;
  const result = (manifest: Record<string, unknown> | null, signer: VerifyResult['signer']): VerifyResult => ({ valid: failures.length === 0, signer, manifest, failures, files });
  if (!existsSync(packagePath)) return (failures.push({ file: packagePath, reason: 'no such file or folder' }), result(null, null));
  let entries: Entries;
  try {
    entries = !src.key && statSync(packagePath).isDirectory() ? folderEntries(packagePath) : await zipEntries(src);
  } catch (e) {
    if (e instanceof ApiFailure) throw e;
    return (failures.push({ file: opts.name ?? path.basename(packagePath), reason: `not a package folder or a readable .zip: damaged, cut short or not a .zip (${(e as Error).message}) — ${AGAIN}` }), result(null, null));
  }
  /** `f()`, or null with a failure naming `name` when its bytes cannot be read. */
  const readable = async <T>(name: string, f: () => Promise<T>): Promise<T | null> => {
    try {
      return await f();
    } catch (e) {
      failures.push({ file: name, reason: unreadable(e) });
      return null;
    }
  };
  try {
    for (const required of [MANIFEST, SIGNATURE]) if (!entries.names.includes(required)) failures.push({ file: required, reason: 'missing' });
    if (failures.length) return result(null, null);
    const manifestBytes = await readable(MANIFEST, () => entries.read(MANIFEST));
    const signature = await readable(SIGNATURE, () => entries.read(SIGNATURE));
    if (!manifestBytes || !signature) return result(null, null);

    // The key: the one the receiver holds, else the one in the package (then only the fingerprint says whose).
    // …or, for a package without one (a lender signs with a key it registered with us), the known key
    // whose signature it is.
    let keyPem = opts.publicKeyPem;
    if (!keyPem && entries.names.includes(PUBLIC_KEY)) keyPem = (await readable(PUBLIC_KEY, () => entries.read(PUBLIC_KEY)))?.toString('utf8');
    if (!keyPem) keyPem = opts.known?.find((k) => verifySignature(null, manifestBytes, createPublicKey(k.publicPem), signature))?.publicPem;
    if (!keyPem) return (failures.push({ file: PUBLIC_KEY, reason: 'missing, no public key was given, and no registered key made this signature' }), result(null, null));
    let key: KeyObject;
    let fingerprint: string;
    try {
      key = createPublicKey(keyPem);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key`);
      fingerprint = fingerprintOf(keyPem);
    } catch (e) {
      return (failures.push({ file: opts.publicKeyPem ? 'the given public key' : PUBLIC_KEY, reason: `not an Ed25519 public key (${(e as Error).message})` }), result(null, null));
    }
    const known = opts.known?.find((k) => fingerprintOf(k.publicPem) === fingerprint);
    const signer = { kind: known?.kind ?? ('unknown' as const), name: known?.name ?? null, fingerprint };
    if (!verifySignature(null, manifestBytes, key, signature)) failures.push({ file: SIGNATURE, reason: `the signature does not match manifest.json under key ${fingerprint}` });

    let manifest: { format?: string; files?: { name: string; sha256: string }[]; signingKey?: { fingerprint?: string } } & Record<string, unknown>;
    try {
      manifest = JSON.parse(manifestBytes.toString('utf8')) as typeof manifest;
    } catch {
      failures.push({ file: MANIFEST, reason: 'not valid JSON' });
      return result(null, signer);
    }
    // SHA256SUMS.sig is what binds `sha256sum -c SHA256SUMS` (README.txt's steps) to the key; a /2
    // package must have it, and whenever it is there it must be right.
    if (entries.names.includes(SUMS_SIGNATURE)) {
      // undefined: no SHA256SUMS; null: unreadable (already a failure of its own).
      const sums = entries.names.includes(SUMS) ? await readable(SUMS, () => entries.read(SUMS)) : undefined;
      const sumsSig = await readable(SUMS_SIGNATURE, () => entries.read(SUMS_SIGNATURE));
      const sumsOk = !!sums && !!sumsSig && verifySignature(null, sums, key, sumsSig);
      if (!sumsOk && sums !== null && sumsSig !== null) failures.push({ file: SUMS_SIGNATURE, reason: `the signature does not match ${SUMS} under key ${fingerprint}` });
    } else if (manifest.format !== undefined && manifest.format !== 'agencydesk-report/1') {
      failures.push({ file: SUMS_SIGNATURE, reason: 'missing' });
    }
    if (manifest.signingKey?.fingerprint && manifest.signingKey.fingerprint !== fingerprint) {
      failures.push({ file: MANIFEST, reason: `names signing key ${manifest.signingKey.fingerprint}, but the key used is ${fingerprint}` });
    }
    const listed = new Set<string>();
    for (const f of manifest.files ?? []) {
      listed.add(f.name);
      if (!entries.names.includes(f.name)) {
        failures.push({ file: f.name, reason: 'listed in the manifest but missing' });
        files.push({ name: f.name, ok: false });
        continue;
      }
      const sha = await readable(f.name, () => entries.sha256(f.name));
      const ok = sha === f.sha256;
      if (!ok && sha !== null) failures.push({ file: f.name, reason: 'changed: its SHA-256 differs from the manifest' });
      files.push({ name: f.name, ok });
    }
    for (const n of entries.names) {
      if (!listed.has(n) && n !== MANIFEST && n !== SIGNATURE && n !== SUMS_SIGNATURE) failures.push({ file: n, reason: 'not listed in the manifest' });
    }
    return result(manifest, signer);
  } finally {
    entries.close();
  }
}

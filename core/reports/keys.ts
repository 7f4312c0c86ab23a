// The agency's Ed25519 signing key. Made at setup (or on first use for stores made before reports existed).
// The private half is stored inside the encrypted store *encrypted again* (AES-256-GCM) under a subkey of the
// privileged key, which only the key slots of users who may sign reports hold (core/key-slots.ts): a collector's
// password opens the store but not the signing key. It is unwrapped only to sign, in this process.
// The fingerprint is the SHA-256 of the public key's DER (SubjectPublicKeyInfo), so anyone can compute it:
// `openssl pkey -pubin -in agency-public.pem -outform DER | sha256sum`.
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { ApiFailure } from '../../shared/contract/failure.js';
import { can } from '../../shared/domain/roles.js';
import type { Ctx } from '../context.js';
import type { SigningKeyRow } from '../../db/repos/reports.js';
import { signingLockRepo } from '../../db/repos/signing-lock.js';
import { PRIVILEGED_CHECK } from '../store-handle.js';

export function fingerprintOf(publicPem: string): string {
  const der = createPublicKey(publicPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** A fresh Ed25519 key pair: the public half as PEM, the private half as PKCS#8 DER, and the fingerprint. */
export function makeKeyPair(): { publicPem: string; privateDer: Buffer; fingerprint: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { publicPem, privateDer: privateKey.export({ type: 'pkcs8', format: 'der' }), fingerprint: fingerprintOf(publicPem) };
}

const ad = (fingerprint: string) => Buffer.from(`agencydesk signing key:${fingerprint}`);

/** The private key encrypted under the signing subkey: iv (12) | tag (16) | ciphertext. */
export function lockPrivateKey(der: Buffer, fingerprint: string, subkey: Buffer): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', subkey, iv);
  c.setAAD(ad(fingerprint));
  const ct = Buffer.concat([c.update(der), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]);
}

function unlockPrivateKey(enc: Buffer, fingerprint: string, subkey: Buffer): Buffer | null {
  try {
    const d = createDecipheriv('aes-256-gcm', subkey, enc.subarray(0, 12));
    d.setAAD(ad(fingerprint));
    d.setAuthTag(enc.subarray(12, 28));
    return Buffer.concat([d.update(enc.subarray(28)), d.final()]);
  } catch {
    return null;
  }
}

function lockedMessage(): ApiFailure {
  return new ApiFailure(
    'FORBIDDEN',
    'The signing key is locked: it opens only in a session of an administrator or manager whose key slot holds it (log in as one; on the team server, the administrator who unlocks it provides it).',
  );
}

/** The signing subkey, when this backend holds it and the caller's role may sign. */
function signingSubkey(ctx: Ctx): Buffer {
  if (ctx.user && !can(ctx.user.role, 'reports.export')) throw new ApiFailure('FORBIDDEN', `Your role (${ctx.user.role}) may not sign reports.`);
  const k = ctx.store.privilegedKey('signing');
  if (!k) throw lockedMessage();
  return k;
}

/** Makes a new current key (retiring the current one) inside the caller's transaction. */
export function newSigningKey(ctx: Ctx, reason: string): SigningKeyRow {
  const r = ctx.store.repos.reports;
  const subkey = ctx.store.repos.meta.get(PRIVILEGED_CHECK) ? signingSubkey(ctx) : null;
  const key = makeKeyPair();
  const at = ctx.now().toISOString();
  const before = r.keys().find((k) => k.retired_at === null);
  r.retireCurrent(at);
  r.addKey(key.publicPem, subkey ? Buffer.alloc(0) : key.privateDer, key.fingerprint, at, ctx.user?.id ?? null);
  if (subkey) {
    const lock = signingLockRepo(ctx.store.repos.db);
    lock.lock(lock.byFingerprint(key.fingerprint)!.id, lockPrivateKey(key.privateDer, key.fingerprint, subkey));
    subkey.fill(0);
  }
  key.privateDer.fill(0);
  ctx.audit('signing.newKey', 'signing_key', key.fingerprint, { fingerprint: key.fingerprint, retired: before?.fingerprint ?? null, reason });
  return r.keys()[0]!;
}

/** Encrypts every signing key still stored in the clear (a store from before the lock); in the caller's transaction. */
export function lockPlainSigningKeys(ctx: Ctx, subkey: Buffer): number {
  const lock = signingLockRepo(ctx.store.repos.db);
  let n = 0;
  for (const row of lock.all()) {
    if (row.private_enc || row.private_der.length === 0) continue;
    lock.lock(row.id, lockPrivateKey(row.private_der, row.fingerprint, subkey));
    n++;
  }
  return n;
}

/** The current key's public row, made now if the store has none yet (which needs the signing key's lock). */
export function currentKeyRow(ctx: Ctx): SigningKeyRow {
  const r = ctx.store.repos;
  const row = r.reports.keys().find((k) => k.retired_at === null);
  return row ?? r.db.transaction(() => newSigningKey(ctx, 'first report of a store made before signing keys'))();
}

/** The current key with its private half, unlocked for signing (only for a user who may sign, with the lock held). */
export function currentKey(ctx: Ctx): { row: SigningKeyRow; privateKey: KeyObject } {
  const row = currentKeyRow(ctx);
  const locked = signingLockRepo(ctx.store.repos.db).byFingerprint(row.fingerprint)!;
  let der: Buffer | null;
  if (locked.private_enc) {
    const subkey = signingSubkey(ctx);
    der = unlockPrivateKey(locked.private_enc, row.fingerprint, subkey);
    subkey.fill(0);
    if (!der) throw new ApiFailure('STORE_CORRUPT', `The signing key ${row.fingerprint.slice(0, 16)}… does not open with the signing lock (altered in the store?): rotate the signing key.`);
  } else if (ctx.store.repos.meta.get(PRIVILEGED_CHECK)) {
    // Once the store has the lock, a key in the clear was not written by AgencyDesk: never sign with it.
    throw new ApiFailure('STORE_CORRUPT', `The current signing key ${row.fingerprint.slice(0, 16)}… is stored without its lock (put there outside AgencyDesk?): rotate the signing key.`);
  } else {
    der = Buffer.from(locked.private_der);
  }
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  der.fill(0);
  // The public half must be this private key's: a swapped public key would have packages name a stranger.
  if (fingerprintOf(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString()) !== row.fingerprint) {
    throw new ApiFailure('STORE_CORRUPT', 'The signing key pair in the store does not match: rotate the signing key.');
  }
  return { row, privateKey };
}

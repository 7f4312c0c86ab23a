// The agency's Ed25519 signing key. Made at setup (or on first use for stores made before reports
// existed); the private half is stored only inside the encrypted store and never leaves this process.
// The fingerprint is the SHA-256 of the public key's DER (SubjectPublicKeyInfo), so anyone can compute it:
// `openssl pkey -pubin -in agency-public.pem -outform DER | sha256sum`.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Ctx } from '../context.js';
import type { SigningKeyRow } from '../../db/repos/reports.js';

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

/** Makes a new current key (retiring the current one) inside the caller's transaction. */
export function newSigningKey(ctx: Ctx, reason: string): SigningKeyRow {
  const r = ctx.store.repos.reports;
  const key = makeKeyPair();
  const at = ctx.now().toISOString();
  const before = r.keys().find((k) => k.retired_at === null);
  r.retireCurrent(at);
  r.addKey(key.publicPem, key.privateDer, key.fingerprint, at, ctx.user?.id ?? null);
  ctx.audit('signing.newKey', 'signing_key', key.fingerprint, { fingerprint: key.fingerprint, retired: before?.fingerprint ?? null, reason });
  return r.keys()[0]!;
}

/** The current key, made now if the store has none yet. */
export function currentKey(ctx: Ctx): { row: SigningKeyRow; privateKey: KeyObject } {
  const r = ctx.store.repos;
  let row = r.reports.keys().find((k) => k.retired_at === null);
  if (!row) row = r.db.transaction(() => newSigningKey(ctx, 'first report of a store made before signing keys'))();
  return { row, privateKey: createPrivateKey({ key: row.private_der, format: 'der', type: 'pkcs8' }) };
}

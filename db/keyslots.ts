// Key slots (keyslots.json, beside the store): what turns a password or the recovery key into the store's keys.
//
// Format 2 (db/keyslots.ts, README "Keys and backups"): each slot holds an X25519 key pair — the private half
// wrapped (AES-256-GCM) under the slot's key-encryption key (scrypt of the password / HKDF of the recovery key),
// the public half in the clear — and the store's secrets *sealed* to that public key (ephemeral X25519 + HKDF +
// AES-256-GCM): the master key (SQLCipher's key) and, for slots of users who may sign reports and the recovery
// slot, the privileged key (the lock on the signing key). Sealing needs only the public key, so an administrator
// can give every remaining slot a new master key (rekey) without knowing anyone's password.
// The file carries a version counter and a MAC under a key derived from the master key; the store records the
// counter (meta keyslots_version), so an older slot file put back is refused.
// A slot holding the privileged key also carries `ptag`: an HMAC of that key under a key derived from the slot's
// KEK, so only the slot's owner (or whoever set its password) can make it. Anyone with the master key can seal a
// *new* privileged key into every slot; a sealed key that does not match the slot's tag is refused at unlock.
// Once tagged, the slot's wrapped X25519 private key is bound (AAD) to "tagged": removing the tag breaks that.
// Format-1 slots (the master key wrapped straight under the KEK) are still read; each becomes a format-2 slot at
// its owner's next login, and a rekey drops those that have not (their users get a password reset).
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  randomUUID,
  scrypt as scryptCb,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { z } from 'zod';
import { ApiFailure } from '../shared/contract/failure.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';

const scrypt = promisify(scryptCb) as (pw: string | Buffer, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

/** OWASP's minimum for scrypt (N=2^17, r=8, p=1): ~128 MiB and a few hundred ms per attempt. */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const FORMAT_1 = 'agencydesk-keyslots/1';
const FORMAT = 'agencydesk-keyslots/2';

interface Wrapped {
  iv: string;
  ct: string;
  tag: string;
}
/** A secret sealed to a slot's X25519 public key: the ephemeral public key, then AES-256-GCM. */
export interface Sealed extends Wrapped {
  epk: string;
}
type PasswordKdf = { alg: 'scrypt'; N: number; r: number; p: number; salt: string };
type RecoveryKdf = { alg: 'hkdf-sha256'; salt: string };

/** Format-1 slots: the master key wrapped straight under the KEK (read, never written). */
export interface LegacyPasswordSlot extends Wrapped {
  id: string;
  kind: 'password';
  username: string;
  kdf: PasswordKdf;
  createdAt: string;
}
export interface LegacyRecoverySlot extends Wrapped {
  id: string;
  kind: 'recovery';
  kdf: RecoveryKdf;
  createdAt: string;
}
interface V2Parts {
  v: 2;
  /** X25519 public key, raw 32 bytes. */
  pub: string;
  /** The X25519 private key (raw 32 bytes) wrapped under the KEK. */
  priv: Wrapped;
  master: Sealed;
  /** Only in slots of users who may sign reports, and the recovery slot. */
  privileged?: Sealed;
  /** The owner's confirmation of the privileged key (hex HMAC under a KEK-derived key); kept when the key is removed. */
  ptag?: string;
}
export interface PasswordSlotV2 extends V2Parts {
  id: string;
  kind: 'password';
  username: string;
  kdf: PasswordKdf;
  createdAt: string;
}
export interface RecoverySlotV2 extends V2Parts {
  id: string;
  kind: 'recovery';
  kdf: RecoveryKdf;
  createdAt: string;
}
export type PasswordSlot = LegacyPasswordSlot | PasswordSlotV2;
export type RecoverySlot = LegacyRecoverySlot | RecoverySlotV2;
export type Slot = PasswordSlot | RecoverySlot;
export type SlotV2 = PasswordSlotV2 | RecoverySlotV2;

export interface SlotFile {
  format: typeof FORMAT | typeof FORMAT_1;
  storeId: string;
  /** Raised at every write; the store keeps the newest it has seen, and refuses an older file. */
  version?: number;
  /** How many times the master key was changed (rekey). */
  generation?: number;
  slots: Slot[];
  /** The id of lockout.json (db/lockout-file.ts): a lockout file that is missing or has another id was tampered with. */
  lockoutId?: string;
  /** HMAC-SHA256 of the rest of the file under a key derived from the master key (format 2). */
  mac?: string;
}

export const isV2 = (s: Slot): s is SlotV2 => (s as Partial<V2Parts>).v === 2;

// What a slot file may hold. The KDF parameters are the ones this version writes and nothing else: a file
// naming N = 2^26 would make every login allocate 8 GB (or fail inside scrypt), and a smaller N would make a
// copied slot cheaper to attack. Unknown extra fields are kept as they are (the file is validated, not rewritten).
const b64Of = (bytes: number) =>
  z.string().refine((s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && Buffer.from(s, 'base64').length === bytes, `${bytes} bytes in base64`);
const wrapped32 = { iv: b64Of(12), ct: b64Of(32), tag: b64Of(16) };
const head = { id: z.string().min(1).max(100), createdAt: z.string().max(40) };
const scryptKdf = z.object({ alg: z.literal('scrypt'), N: z.literal(SCRYPT_PARAMS.N), r: z.literal(SCRYPT_PARAMS.r), p: z.literal(SCRYPT_PARAMS.p), salt: b64Of(16) }).strict();
const hkdfKdf = z.object({ alg: z.literal('hkdf-sha256'), salt: b64Of(16) }).strict();
const sealed = z.object({ epk: b64Of(32), ...wrapped32 }).strict();
const v2 = { v: z.literal(2), pub: b64Of(32), priv: z.object(wrapped32).strict(), master: sealed, privileged: sealed.optional(), ptag: z.string().regex(/^[0-9a-f]{64}$/).optional() };
const slotSchema = z.union([
  z.object({ ...head, ...v2, kind: z.literal('password'), username: z.string().min(1).max(200), kdf: scryptKdf }),
  z.object({ ...head, ...v2, kind: z.literal('recovery'), kdf: hkdfKdf }),
  z.object({ ...head, ...wrapped32, kind: z.literal('password'), username: z.string().min(1).max(200), kdf: scryptKdf, v: z.undefined().optional() }),
  z.object({ ...head, ...wrapped32, kind: z.literal('recovery'), kdf: hkdfKdf, v: z.undefined().optional() }),
]);
const slotFileSchema = z.object({
  format: z.union([z.literal(FORMAT), z.literal(FORMAT_1)]),
  storeId: z.string().min(1).max(100),
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  generation: z.number().int().min(0).max(1e9).optional(),
  slots: z.array(slotSchema).max(10_000),
  lockoutId: z.string().min(1).max(100).optional(),
  mac: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

function damaged(file: string, why: string): ApiFailure {
  const bak = `${file}.bak`;
  const hint = existsSync(bak)
    ? `A second copy is beside it: close AgencyDesk, keep a copy of both files, and put ${bak} in its place.`
    : `Restore keyslots.json (or keyslots.json.bak) from a backup of this folder.`;
  return new ApiFailure('STORE_CORRUPT', `The key slot file ${file} is damaged (${why}). ${hint}`);
}

const b64 = (b: Buffer) => b.toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64');
const b64url = (b: Buffer) => b.toString('base64url');

function aad(storeId: string, slot: { id: string; kind: string; username?: string }, what = ''): Buffer {
  // Binds each wrapped key to its store, slot and username: relabelling a slot breaks it.
  return Buffer.from(`agencydesk:${storeId}:${slot.id}:${slot.kind}:${slot.username ?? ''}${what}`);
}

function wrap(secret: Buffer, kek: Buffer, ad: Buffer): Wrapped {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  c.setAAD(ad);
  const ct = Buffer.concat([c.update(secret), c.final()]);
  return { iv: b64(iv), ct: b64(ct), tag: b64(c.getAuthTag()) };
}

function unwrap(w: Wrapped, kek: Buffer, ad: Buffer): Buffer | null {
  try {
    const d = createDecipheriv('aes-256-gcm', kek, unb64(w.iv));
    d.setAAD(ad);
    d.setAuthTag(unb64(w.tag));
    return Buffer.concat([d.update(unb64(w.ct)), d.final()]);
  } catch {
    return null; // wrong password / key, or a tampered slot
  }
}

// ---- X25519 sealing -------------------------------------------------------------------------------------------
const publicFromRaw = (raw: Buffer): KeyObject => createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64url(raw) }, format: 'jwk' });
const rawPublic = (k: KeyObject): Buffer => Buffer.from((k.export({ format: 'jwk' }) as { x: string }).x, 'base64url');
function privateFromRaw(d: Buffer, pub: Buffer): KeyObject {
  return createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: b64url(d), x: b64url(pub) }, format: 'jwk' });
}
function newPair(): { pub: Buffer; d: Buffer } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { pub: rawPublic(publicKey), d: Buffer.from((privateKey.export({ format: 'jwk' }) as { d: string }).d, 'base64url') };
}
function sealKey(shared: Buffer, epk: Buffer, pub: Buffer, ad: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, pub]), Buffer.concat([Buffer.from('agencydesk seal/2|'), ad]), 32));
}

/** Seals `secret` to a raw X25519 public key: only the holder of its private key opens it. */
export function seal(secret: Buffer, pub: Buffer, ad: Buffer): Sealed {
  const eph = generateKeyPairSync('x25519');
  const epk = rawPublic(eph.publicKey);
  const key = sealKey(diffieHellman({ privateKey: eph.privateKey, publicKey: publicFromRaw(pub) }), epk, pub, ad);
  try {
    return { epk: b64(epk), ...wrap(secret, key, ad) };
  } finally {
    key.fill(0);
  }
}

function unseal(box: Sealed, priv: KeyObject, pub: Buffer, ad: Buffer): Buffer | null {
  const epk = unb64(box.epk);
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey: priv, publicKey: publicFromRaw(epk) });
  } catch {
    return null;
  }
  const key = sealKey(shared, epk, pub, ad);
  shared.fill(0);
  try {
    return unwrap(box, key, ad);
  } finally {
    key.fill(0);
  }
}

// ---- KEKs -----------------------------------------------------------------------------------------------------
async function passwordKek(password: string, kdf: PasswordKdf): Promise<Buffer> {
  return scrypt(password.normalize('NFC'), unb64(kdf.salt), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 });
}

function recoveryKek(recoveryKey: Uint8Array, salt: string): Buffer {
  return Buffer.from(hkdfSync('sha256', recoveryKey, unb64(salt), 'agencydesk recovery slot', 32));
}

// ---- Making and opening slots ---------------------------------------------------------------------------------
/** The store's secrets a slot can carry. */
export interface Secrets {
  masterKey: Buffer;
  /** The privileged key (lock of the signing key); null: not sealed into this slot. */
  privileged: Buffer | null;
}

const sealAad = (storeId: string, slot: { id: string; kind: string; username?: string }, what: 'master' | 'privileged') => aad(storeId, slot, `:seal:${what}`);

type SlotHead = { id: string; kind: string; username?: string };
/** The AAD of the wrapped X25519 private key: a tagged slot's says so, so its tag cannot simply be deleted. */
const privAad = (storeId: string, slot: SlotHead, pub: string, tagged: boolean) => aad(storeId, slot, `:x25519:${pub}${tagged ? ':ptag' : ''}`);

/** The slot owner's tag of a privileged key: needs the KEK (the password or the recovery key), not the master key. */
function tagOf(storeId: string, slot: SlotHead, kek: Buffer, privileged: Buffer): string {
  const k = Buffer.from(hkdfSync('sha256', kek, Buffer.from(storeId), aad(storeId, slot, ':privileged-tag'), 32));
  try {
    return createHmac('sha256', k).update(createHash('sha256').update(privileged).digest()).digest('hex');
  } finally {
    k.fill(0);
  }
}

/** The store's check value of the privileged key (meta privileged_check): one-way, so it may sit in the clear. */
export function privilegedCheckOf(privileged: Buffer): string {
  return createHmac('sha256', privileged).update('agencydesk privileged key check').digest('hex');
}

/**
 * The owner's tag over the key's check value instead of the key (same KEK-derived key, another message): the
 * owner can carry it to a new password without holding the privileged key — the old tag vouches for the check
 * value, the new one is made over it (a collector's own password change, core/services/auth.ts).
 */
function checkTagOf(storeId: string, slot: SlotHead, kek: Buffer, check: string): string {
  const k = Buffer.from(hkdfSync('sha256', kek, Buffer.from(storeId), aad(storeId, slot, ':privileged-tag'), 32));
  try {
    return createHmac('sha256', k).update(`check:${check}`).digest('hex');
  } finally {
    k.fill(0);
  }
}

const tagMatches = (tag: string, expected: string) => timingSafeEqual(Buffer.from(tag, 'hex'), Buffer.from(expected, 'hex'));

/** The slot's tag names this privileged key, in either form (over the key, or over its check value). */
function tagNames(storeId: string, slot: SlotV2, kek: Buffer, privileged: Buffer): boolean {
  if (slot.ptag === undefined) return false;
  return tagMatches(slot.ptag, tagOf(storeId, slot, kek, privileged)) || tagMatches(slot.ptag, checkTagOf(storeId, slot, kek, privilegedCheckOf(privileged)));
}

/** The slot's tag names this check value (its owner, holding the KEK, learns which key they vouched for). */
export function tagNamesCheck(storeId: string, slot: SlotV2, kek: Buffer, check: string): boolean {
  return slot.ptag !== undefined && /^[0-9a-f]{64}$/.test(check) && tagMatches(slot.ptag, checkTagOf(storeId, slot, kek, check));
}

/**
 * `tagCheck`: the check value of the store's privileged key, as the slot's maker knows it for sure (holding the key,
 * or from the owner's previous tag), to tag the slot with even when the key is not sealed in (a collector made by
 * an admin): a later role change seals the key into a slot its owner already vouches for, so the key found there at
 * the owner's first login is checked, not trusted.
 */
function v2Parts(storeId: string, slotHead: SlotHead, kek: Buffer, s: Secrets, tagCheck: string | null = null): V2Parts {
  const { pub, d } = newPair();
  // Whoever makes the slot knows its KEK and the privileged key: the slot is tagged from the start.
  const ptag = tagCheck ? checkTagOf(storeId, slotHead, kek, tagCheck) : s.privileged ? tagOf(storeId, slotHead, kek, s.privileged) : null;
  const priv = wrap(d, kek, privAad(storeId, slotHead, b64(pub), ptag !== null));
  d.fill(0);
  return {
    v: 2,
    pub: b64(pub),
    priv,
    master: seal(s.masterKey, pub, sealAad(storeId, slotHead, 'master')),
    ...(s.privileged ? { privileged: seal(s.privileged, pub, sealAad(storeId, slotHead, 'privileged')) } : {}),
    ...(ptag ? { ptag } : {}),
  };
}

/**
 * A format-2 password slot. `privileged` is sealed in only when given (users who may sign reports); `tagCheck` (the
 * privileged key's check value, when the maker knows it for sure) tags the slot for it either way (see v2Parts).
 */
export async function makePasswordSlot(
  storeId: string,
  masterKey: Buffer,
  username: string,
  password: string,
  privileged: Buffer | null = null,
  tagCheck: string | null = privileged ? privilegedCheckOf(privileged) : null,
): Promise<PasswordSlotV2> {
  const kdf = { alg: 'scrypt' as const, ...SCRYPT_PARAMS, salt: b64(randomBytes(16)) };
  const h = { id: randomUUID(), kind: 'password' as const, username };
  const kek = await passwordKek(password, kdf);
  try {
    return { ...h, kdf, ...v2Parts(storeId, h, kek, { masterKey, privileged }, tagCheck), createdAt: new Date().toISOString() };
  } finally {
    kek.fill(0);
  }
}

export function makeRecoverySlot(storeId: string, masterKey: Buffer, recoveryKey: Uint8Array, privileged: Buffer | null = null): RecoverySlotV2 {
  const kdf = { alg: 'hkdf-sha256' as const, salt: b64(randomBytes(16)) };
  const h = { id: randomUUID(), kind: 'recovery' as const };
  const kek = recoveryKek(recoveryKey, kdf.salt);
  try {
    return { ...h, kdf, ...v2Parts(storeId, h, kek, { masterKey, privileged }), createdAt: new Date().toISOString() };
  } finally {
    kek.fill(0);
  }
}

/** What a slot gave: the secrets, and (for an upgrade of a format-1 slot) the KEK — wipe both after use. */
export interface Opened extends Secrets {
  legacy: boolean;
  kek: Buffer;
  /** Why the privileged key sealed in the slot was refused (it does not match the owner's tag, or the tag was removed). */
  privilegedTampered: string | null;
}

function openWithKek(storeId: string, slot: Slot, kek: Buffer): Opened | null {
  if (!isV2(slot)) {
    const masterKey = unwrap(slot, kek, aad(storeId, slot));
    return masterKey ? { masterKey, privileged: null, legacy: true, kek, privilegedTampered: null } : null;
  }
  const pub = unb64(slot.pub);
  const tagged = slot.ptag !== undefined;
  let d = unwrap(slot.priv, kek, privAad(storeId, slot, slot.pub, tagged));
  // Untagged, yet the private key was wrapped as tagged: someone removed the tag (to have any key accepted).
  let stripped = false;
  if (!d && !tagged) {
    d = unwrap(slot.priv, kek, privAad(storeId, slot, slot.pub, true));
    stripped = d !== null;
  }
  if (!d) return null;
  let priv: KeyObject;
  try {
    priv = privateFromRaw(d, pub);
    // The public key beside it must be this private key's: a swapped one would have the next rekey seal to a stranger.
    if (!rawPublic(createPublicKey(priv)).equals(pub)) return null;
  } catch {
    return null;
  } finally {
    d.fill(0);
  }
  const masterKey = unseal(slot.master, priv, pub, sealAad(storeId, slot, 'master'));
  if (!masterKey) return null;
  let privileged = slot.privileged ? unseal(slot.privileged, priv, pub, sealAad(storeId, slot, 'privileged')) : null;
  let privilegedTampered: string | null = null;
  if (stripped) privilegedTampered = 'the tag with which its owner confirmed the privileged key was removed from the slot';
  else if (privileged && tagged && !tagNames(storeId, slot, kek, privileged)) {
    privilegedTampered = 'the privileged key sealed in the slot is not the one its owner confirmed (a new one was sealed in by someone holding only the master key)';
  }
  if (privilegedTampered) {
    privileged?.fill(0);
    privileged = null;
  }
  return { masterKey, privileged, legacy: false, kek, privilegedTampered };
}

/** The slot's tag names this privileged key. */
export function privilegedTagOk(storeId: string, slot: SlotV2, kek: Buffer, privileged: Buffer): boolean {
  return tagNames(storeId, slot, kek, privileged);
}

/**
 * The slot tagged by its owner (who just opened it with this KEK) for the store's privileged key: a slot granted the
 * key by someone else (a role change) is confirmed at its owner's first unlock after. Null if the KEK does not fit.
 */
export function tagSlot<S extends SlotV2>(storeId: string, slot: S, kek: Buffer, privileged: Buffer): S | null {
  const d = unwrap(slot.priv, kek, privAad(storeId, slot, slot.pub, slot.ptag !== undefined));
  if (!d) return null;
  try {
    return { ...slot, priv: wrap(d, kek, privAad(storeId, slot, slot.pub, true)), ptag: tagOf(storeId, slot, kek, privileged) };
  } finally {
    d.fill(0);
  }
}

export async function unlockPasswordSlot(storeId: string, slot: PasswordSlot, password: string): Promise<Opened | null> {
  const kek = await passwordKek(password, slot.kdf);
  const o = openWithKek(storeId, slot, kek);
  if (!o) kek.fill(0);
  return o;
}

export function unlockRecoverySlot(storeId: string, slot: RecoverySlot, recoveryKey: Uint8Array): Opened | null {
  const kek = recoveryKek(recoveryKey, slot.kdf.salt);
  const o = openWithKek(storeId, slot, kek);
  if (!o) kek.fill(0);
  return o;
}

/** The master key only (restoring a backup, benchmarks). */
export async function openPasswordSlot(storeId: string, slot: PasswordSlot, password: string): Promise<Buffer | null> {
  const o = await unlockPasswordSlot(storeId, slot, password);
  return o ? forget(o) : null;
}

export function openRecoverySlot(storeId: string, slot: RecoverySlot, recoveryKey: Uint8Array): Buffer | null {
  const o = unlockRecoverySlot(storeId, slot, recoveryKey);
  return o ? forget(o) : null;
}

function forget(o: Opened): Buffer {
  o.kek.fill(0);
  o.privileged?.fill(0);
  return o.masterKey;
}

/** A format-1 slot as format 2, with the KEK its owner just derived (same salt: the password stays the same). */
export function upgradeSlot<S extends Slot>(storeId: string, slot: S, kek: Buffer, s: Secrets): S & SlotV2 {
  const { iv: _iv, ct: _ct, tag: _tag, ...rest } = slot as S & Partial<Wrapped> & Partial<V2Parts>;
  delete rest.privileged;
  delete rest.ptag;
  return { ...rest, ...v2Parts(storeId, slot, kek, s) } as S & SlotV2;
}

/**
 * The same slot with a new master key sealed in (no password needed), and the privileged key kept, added or removed.
 * The owner's tag stays (the privileged key never changes; a slot granted it is confirmed at its owner's unlock).
 */
export function resealSlot<S extends SlotV2>(storeId: string, slot: S, masterKey: Buffer | null, privileged: Buffer | null | 'keep' | 'remove'): S {
  const pub = unb64(slot.pub);
  const next: S = { ...slot };
  if (masterKey) next.master = seal(masterKey, pub, sealAad(storeId, slot, 'master'));
  if (privileged === 'remove') delete next.privileged;
  else if (privileged !== 'keep' && privileged) next.privileged = seal(privileged, pub, sealAad(storeId, slot, 'privileged'));
  return next;
}

/** Burns the same scrypt cost as a real attempt, so an unknown username answers as slowly as a wrong password. */
export async function dummyPasswordAttempt(password: string): Promise<void> {
  await passwordKek(password, { alg: 'scrypt', ...SCRYPT_PARAMS, salt: b64(randomBytes(16)) });
}

export function sameKey(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---- The file -------------------------------------------------------------------------------------------------
export function readSlotFile(file: string): SlotFile | null {
  let data: unknown;
  try {
    data = readJsonFile<unknown>(file);
  } catch (e) {
    throw damaged(file, `not readable JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (data === null) return null;
  const format = (data as { format?: unknown } | null)?.format;
  if (format !== FORMAT && format !== FORMAT_1) {
    throw new ApiFailure('STORE_CORRUPT', `Key slot file ${file} is not in a format this AgencyDesk knows (${typeof format === 'string' ? format.slice(0, 60) : typeof format}).`);
  }
  const checked = slotFileSchema.safeParse(data);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const at = issue.path.join('.');
    const kdf = JSON.stringify(checked.error.issues).includes('kdf') ? ' — key derivation parameters other than the ones AgencyDesk writes are refused' : '';
    throw damaged(file, `${at ? `${at}: ` : ''}${issue.message}${kdf}`);
  }
  return data as SlotFile;
}

function macKey(masterKey: Buffer, storeId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.from(storeId), 'agencydesk keyslots mac', 32));
}

function macOf(data: SlotFile, masterKey: Buffer): string {
  const { mac: _mac, ...rest } = data;
  const k = macKey(masterKey, data.storeId);
  try {
    return createHmac('sha256', k).update(JSON.stringify(rest)).digest('hex');
  } finally {
    k.fill(0);
  }
}

/** A format-2 file whose MAC verifies under this master key (one that key's holder wrote). */
export function slotFileMacOk(data: SlotFile, masterKey: Buffer): boolean {
  if (data.format !== FORMAT || !data.mac) return false;
  return timingSafeEqual(Buffer.from(macOf(data, masterKey), 'hex'), Buffer.from(data.mac, 'hex'));
}

/** The file as written: format 2, with its version and MAC. */
export function sealSlotFile(data: SlotFile, version: number, masterKey: Buffer): SlotFile {
  const { mac: _mac, ...rest } = data;
  const next: SlotFile = { ...rest, format: FORMAT, version };
  return { ...next, mac: macOf(next, masterKey) };
}

/**
 * Writes the slot file atomically, then the same bytes to keyslots.json.bak: the second copy is there for a
 * damaged disk, never an older file (an older one would let an old password back in).
 */
export function writeSlotFile(file: string, data: SlotFile): void {
  if (data.format !== FORMAT || !data.mac || !data.version) throw new Error('writeSlotFile: seal the file first (sealSlotFile)');
  const text = JSON.stringify(data, null, 2) + '\n';
  writeFileAtomic(file, text);
  writeFileAtomic(`${file}.bak`, text);
}

export function newSlotFile(storeId: string, slots: Slot[], lockoutId?: string): SlotFile {
  return { format: FORMAT, storeId, generation: 0, slots, ...(lockoutId ? { lockoutId } : {}) };
}

export function findPasswordSlot(file: SlotFile, username: string): PasswordSlot | undefined {
  return file.slots.find((s): s is PasswordSlot => s.kind === 'password' && s.username === username);
}

export function findRecoverySlot(file: SlotFile): RecoverySlot | undefined {
  return file.slots.find((s): s is RecoverySlot => s.kind === 'recovery');
}

/** Replaces (or adds) the password slot of one user, leaving every other slot as it was. */
export function withPasswordSlot(file: SlotFile, slot: PasswordSlot): SlotFile {
  return { ...file, slots: [...file.slots.filter((s) => !(s.kind === 'password' && s.username === slot.username)), slot] };
}

export function withRecoverySlot(file: SlotFile, slot: RecoverySlot): SlotFile {
  return { ...file, slots: [...file.slots.filter((s) => s.kind !== 'recovery'), slot] };
}

export function withoutPasswordSlot(file: SlotFile, username: string): SlotFile {
  return { ...file, slots: file.slots.filter((s) => !(s.kind === 'password' && s.username === username)) };
}

// Key slots: the master key wrapped (AES-256-GCM) once per user password and once by the recovery key.
// The file sits beside the encrypted store; it holds nothing usable without a password or the recovery key.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { z } from 'zod';
import { ApiFailure } from '../shared/contract/failure.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';

const scrypt = promisify(scryptCb) as (pw: string | Buffer, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

/** OWASP's minimum for scrypt (N=2^17, r=8, p=1): ~128 MiB and a few hundred ms per attempt. */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 } as const;
const FORMAT = 'agencydesk-keyslots/1';

interface Wrapped {
  iv: string;
  ct: string;
  tag: string;
}
export interface PasswordSlot extends Wrapped {
  id: string;
  kind: 'password';
  username: string;
  kdf: { alg: 'scrypt'; N: number; r: number; p: number; salt: string };
  createdAt: string;
}
export interface RecoverySlot extends Wrapped {
  id: string;
  kind: 'recovery';
  kdf: { alg: 'hkdf-sha256'; salt: string };
  createdAt: string;
}
export type Slot = PasswordSlot | RecoverySlot;
export interface SlotFile {
  format: typeof FORMAT;
  storeId: string;
  slots: Slot[];
  /** The id of lockout.json (db/lockout-file.ts): a lockout file that is missing or has another id was tampered with. */
  lockoutId?: string;
}

// What a slot file may hold. The KDF parameters are the ones this version writes and nothing else: a file
// naming N = 2^26 would make every login allocate 8 GB (or fail inside scrypt), and a smaller N would make a
// copied slot cheaper to attack. Unknown extra fields are kept as they are (the file is validated, not rewritten).
const b64Of = (bytes: number) =>
  z.string().refine((s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && Buffer.from(s, 'base64').length === bytes, `${bytes} bytes in base64`);
const wrappedShape = { iv: b64Of(12), ct: b64Of(32), tag: b64Of(16), id: z.string().min(1).max(100), createdAt: z.string().max(40) };
const slotSchema = z.discriminatedUnion('kind', [
  z.object({
    ...wrappedShape,
    kind: z.literal('password'),
    username: z.string().min(1).max(200),
    kdf: z.object({ alg: z.literal('scrypt'), N: z.literal(SCRYPT_PARAMS.N), r: z.literal(SCRYPT_PARAMS.r), p: z.literal(SCRYPT_PARAMS.p), salt: b64Of(16) }).strict(),
  }),
  z.object({ ...wrappedShape, kind: z.literal('recovery'), kdf: z.object({ alg: z.literal('hkdf-sha256'), salt: b64Of(16) }).strict() }),
]);
const slotFileSchema = z.object({ format: z.literal(FORMAT), storeId: z.string().min(1).max(100), slots: z.array(slotSchema).max(10_000), lockoutId: z.string().min(1).max(100).optional() });

function damaged(file: string, why: string): ApiFailure {
  const bak = `${file}.bak`;
  const hint = existsSync(bak)
    ? `The previous version is beside it: close AgencyDesk, keep a copy of both files, and put ${bak} in its place (a password changed since then will be the old one again).`
    : `Restore keyslots.json (or keyslots.json.bak) from a backup of this folder.`;
  return new ApiFailure('STORE_CORRUPT', `The key slot file ${file} is damaged (${why}). ${hint}`);
}

const b64 = (b: Buffer) => b.toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64');

function aad(storeId: string, slot: { id: string; kind: string; username?: string }): Buffer {
  // Binds each wrapped key to its store, slot and username: relabelling a slot breaks it.
  return Buffer.from(`agencydesk:${storeId}:${slot.id}:${slot.kind}:${slot.username ?? ''}`);
}

function wrap(masterKey: Buffer, kek: Buffer, ad: Buffer): Wrapped {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  c.setAAD(ad);
  const ct = Buffer.concat([c.update(masterKey), c.final()]);
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

async function passwordKek(password: string, kdf: PasswordSlot['kdf']): Promise<Buffer> {
  return scrypt(password.normalize('NFC'), unb64(kdf.salt), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r + 1024 * 1024 });
}

function recoveryKek(recoveryKey: Uint8Array, salt: string): Buffer {
  return Buffer.from(hkdfSync('sha256', recoveryKey, unb64(salt), 'agencydesk recovery slot', 32));
}

export async function makePasswordSlot(storeId: string, masterKey: Buffer, username: string, password: string): Promise<PasswordSlot> {
  const kdf = { alg: 'scrypt' as const, ...SCRYPT_PARAMS, salt: b64(randomBytes(16)) };
  const head = { id: randomUUID(), kind: 'password' as const, username };
  const kek = await passwordKek(password, kdf);
  return { ...head, kdf, ...wrap(masterKey, kek, aad(storeId, head)), createdAt: new Date().toISOString() };
}

export function makeRecoverySlot(storeId: string, masterKey: Buffer, recoveryKey: Uint8Array): RecoverySlot {
  const kdf = { alg: 'hkdf-sha256' as const, salt: b64(randomBytes(16)) };
  const head = { id: randomUUID(), kind: 'recovery' as const };
  return { ...head, kdf, ...wrap(masterKey, recoveryKek(recoveryKey, kdf.salt), aad(storeId, head)), createdAt: new Date().toISOString() };
}

export async function openPasswordSlot(storeId: string, slot: PasswordSlot, password: string): Promise<Buffer | null> {
  return unwrap(slot, await passwordKek(password, slot.kdf), aad(storeId, slot));
}

export function openRecoverySlot(storeId: string, slot: RecoverySlot, recoveryKey: Uint8Array): Buffer | null {
  return unwrap(slot, recoveryKek(recoveryKey, slot.kdf.salt), aad(storeId, slot));
}

/** Burns the same scrypt cost as a real attempt, so an unknown username answers as slowly as a wrong password. */
export async function dummyPasswordAttempt(password: string): Promise<void> {
  await passwordKek(password, { alg: 'scrypt', ...SCRYPT_PARAMS, salt: b64(randomBytes(16)) });
}

export function sameKey(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function readSlotFile(file: string): SlotFile | null {
  let data: unknown;
  try {
    data = readJsonFile<unknown>(file);
  } catch (e) {
    throw damaged(file, `not readable JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (data === null) return null;
  const format = (data as { format?: unknown } | null)?.format;
  if (format !== FORMAT) {
    throw new ApiFailure('STORE_CORRUPT', `Key slot file ${file} is not in a format this AgencyDesk knows (${typeof format === 'string' ? format.slice(0, 60) : typeof format}).`);
  }
  const checked = slotFileSchema.safeParse(data);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const at = issue.path.join('.');
    const kdf = issue.path.includes('kdf') ? ' — key derivation parameters other than the ones AgencyDesk writes are refused' : '';
    throw damaged(file, `${at ? `${at}: ` : ''}${issue.message}${kdf}`);
  }
  return data as SlotFile;
}

/** Writes the slot file atomically and keeps the previous version as keyslots.json.bak. */
export function writeSlotFile(file: string, data: SlotFile): void {
  writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n', { keepBackup: true });
}

export function newSlotFile(storeId: string, slots: Slot[], lockoutId?: string): SlotFile {
  return { format: FORMAT, storeId, slots, ...(lockoutId ? { lockoutId } : {}) };
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

export function withoutPasswordSlot(file: SlotFile, username: string): SlotFile {
  return { ...file, slots: file.slots.filter((s) => !(s.kind === 'password' && s.username === username)) };
}

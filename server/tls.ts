// The team server's TLS identity: the agency's own PEM certificate and key, or a self-signed one made at the
// first serve and kept in the store folder (key 0600). The fingerprint is the certificate's SHA-256, printed
// the way `openssl x509 -in cert.pem -noout -fingerprint -sha256` prints it, so an admin can compare both.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface TlsIdentity {
  cert: string;
  key: string;
  /** SHA-256 of the certificate's DER, colon-separated upper-case hex (openssl's form). */
  fingerprint: string;
  /** Where the PEM files are (for the admin to hand out or check with openssl). */
  certPath: string;
  selfSigned: boolean;
}

export const fingerprintOf = (certPem: string): string => new X509Certificate(certPem).fingerprint256;

/** Accepts a fingerprint as openssl, browsers or people write it: colons or not, any case, "SHA256 Fingerprint=" prefix. */
export function normaliseFingerprint(text: string): string | null {
  const hex = text.replace(/^.*=/, '').replace(/[\s:]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

function writePrivate(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** The names and addresses the certificate is valid for: this machine's name and every address it has. */
function subjectAltNames(): { type: 2 | 7; value?: string; ip?: string }[] {
  const names: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 2, value: 'localhost' },
    { type: 2, value: os.hostname() },
  ];
  const ips = new Set(['127.0.0.1']);
  for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4') ips.add(a.address);
  for (const ip of ips) names.push({ type: 7, ip });
  return names;
}

/** Loads the agency's certificate (both paths given), else the store's own, else makes and keeps a self-signed one. */
export async function loadTlsIdentity(storeDir: string, own?: { cert: string; key: string }): Promise<TlsIdentity> {
  if (own) {
    const cert = readFileSync(own.cert, 'utf8');
    const key = readFileSync(own.key, 'utf8');
    createPrivateKey(key); // a clear error now rather than at the first client
    const x = new X509Certificate(cert);
    if (!x.checkPrivateKey(createPrivateKey(key))) throw new Error(`${own.key} is not the key of ${own.cert}.`);
    return { cert, key, fingerprint: x.fingerprint256, certPath: path.resolve(own.cert), selfSigned: false };
  }
  const dir = path.join(storeDir, 'tls');
  const certPath = path.join(dir, 'cert.pem');
  const keyPath = path.join(dir, 'key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const notBefore = new Date(Date.now() - 60_000);
    const notAfter = new Date(notBefore);
    notAfter.setFullYear(notAfter.getFullYear() + 5);
    const pems = await generate([{ name: 'commonName', value: `AgencyDesk ${os.hostname()}` }, { name: 'organizationName', value: 'AgencyDesk team server' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: notBefore,
      notAfterDate: notAfter,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: subjectAltNames() },
      ],
    });
    writePrivate(keyPath, pems.private);
    writeFileSync(certPath, pems.cert, { mode: 0o644 });
  }
  const cert = readFileSync(certPath, 'utf8');
  return { cert, key: readFileSync(keyPath, 'utf8'), fingerprint: fingerprintOf(cert), certPath, selfSigned: true };
}

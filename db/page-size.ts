// Page sizes of encrypted stores (SQLCipher's header is encrypted: the size is kept in the key slot file).
/** SQLCipher 4's default page size: stores made before NEW_STORE_PAGE_SIZE have it. */
export const SQLCIPHER4_PAGE_SIZE = 4096;

/**
 * Page size of stores made from now on. Every page costs a read or write call, an AES-CBC IV and an
 * HMAC-SHA512: with 32 KiB pages a 1M-case import takes ~14.4 s instead of ~18.5 s (64 KiB: no better),
 * and a single cold page read decrypts 32 KiB (~0.05 ms). SQLCipher opens such a store with
 * `PRAGMA cipher_page_size = 32768`.
 */
export const NEW_STORE_PAGE_SIZE = 32768;

export function isPageSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

// Page sizes of encrypted stores (SQLCipher's header is encrypted: the size is kept in the key slot file).
/** SQLCipher 4's default page size; a store whose slot file records none has it. */
export const SQLCIPHER4_PAGE_SIZE = 4096;

/**
 * Page size of stores made from now on: SQLCipher 4's. Measured (1M cases, 2 cores): 32 KiB pages make a
 * bulk import ~20% faster (fewer pages to write, HMAC and read back), but every page read decrypts and
 * HMAC-checks the whole page, and the 64 MiB cache holds 8× fewer of them: a collector's queue of 5,000
 * scattered cases took 698 ms instead of 133 ms, their case list 457 ms instead of 22 ms, assigning 1M
 * cases 22.4 s instead of 12.0 s. 8 KiB: the import ~7% faster in a quiet run, scattered reads ~25% slower;
 * not adopted. The size is recorded in the slot file all the same, so that a later default can differ.
 */
export const NEW_STORE_PAGE_SIZE = SQLCIPHER4_PAGE_SIZE;

export function isPageSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

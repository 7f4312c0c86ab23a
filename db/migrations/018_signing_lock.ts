// The report signing key under its own lock (issue 17): the private half encrypted (AES-256-GCM) under a subkey of
// the privileged key, which only the key slots of users who may sign (and the recovery slot) hold. The column is
// filled by core at the first unlock that holds the privileged key (core/key-slots.ts); private_der is then emptied.
export const up = `
ALTER TABLE signing_keys ADD COLUMN private_enc BLOB;
`;

// README.txt of a report package: how the receiver checks it with standard tools (openssl, sha256sum).

export function readmeText(fingerprint: string, files: readonly string[]): string {
  return `AgencyDesk report package / 报告包
==================================

Every file is listed with its SHA-256 in manifest.json, and manifest.json is signed (Ed25519) by the
agency: manifest.sig is the detached signature, agency-public.pem the public key.
本报告包内每个文件的 SHA-256 均列于 manifest.json；manifest.json 由催收机构以 Ed25519 签名：
manifest.sig 为分离签名，agency-public.pem 为公钥。

1. The signature / 验证签名
   openssl pkeyutl -verify -pubin -inkey agency-public.pem -rawin -in manifest.json -sigfile manifest.sig
   → "Signature Verified Successfully"

2. The key is the agency's / 确认公钥属于该机构
   openssl pkey -pubin -in agency-public.pem -outform DER | sha256sum
   → ${fingerprint}
   Compare it with the fingerprint the agency gave you in advance, not only with this file.
   请与机构事先提供给您的指纹核对，而不仅是与本文件核对。

3. Every file / 验证每个文件
   sha256sum -c SHA256SUMS
   (SHA256SUMS itself is listed in the signed manifest.json / SHA256SUMS 本身也列于已签名的 manifest.json)
   Files / 文件: ${files.join(', ')}

Or, with AgencyDesk / 或使用 AgencyDesk:
   agencydesk verify <this folder or .zip> --pubkey agency-public.pem
`;
}

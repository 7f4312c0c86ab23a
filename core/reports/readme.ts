// README.txt of a report package: how the receiver checks it with standard tools, step by step, on Linux,
// macOS, Windows and with Python. The steps are run AS WRITTEN by test/integration/report-readme-steps.test.ts
// (lines starting `$ ` and `% `, and the check.py block), against an untouched and a tampered package:
// keep the command lines exact and self-contained. Every file is bound to a signature: SHA256SUMS (the
// hashes `sha256sum -c` checks) is signed on its own, manifest.json (what the package holds) too.

/** Where check.py starts and ends in README.txt (the test extracts it by these lines). */
export const PY_BEGIN = '   ----- check.py -----';
export const PY_END = '   ----- end of check.py -----';

const CHECK_PY = `import hashlib, sys
from pathlib import Path
ok = True
try:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key, Encoding, PublicFormat
    key = load_pem_public_key(Path("agency-public.pem").read_bytes())
    for data, sig in (("SHA256SUMS", "SHA256SUMS.sig"), ("manifest.json", "manifest.sig")):
        try:
            key.verify(Path(sig).read_bytes(), Path(data).read_bytes())
            print(data, "signature OK")
        except Exception:
            ok = False
            print(data, "signature FAILED")
    der = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    print("key fingerprint:", hashlib.sha256(der).hexdigest())
except ImportError:
    ok = False
    print("signatures NOT checked: pip install cryptography")
for line in Path("SHA256SUMS").read_text("utf-8").splitlines():
    digest, name = line.split("  ", 1)
    h = hashlib.sha256()
    try:
        with open(name, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        ok = False
        print(name, "MISSING")
        continue
    good = h.hexdigest() == digest
    ok = ok and good
    print(name, "OK" if good else "CHANGED")
sys.exit(0 if ok else 1)`;

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');

export function readmeText(fingerprint: string, files: readonly string[]): string {
  return `AgencyDesk report package / 报告包
==================================

SHA256SUMS lists the SHA-256 of every file; manifest.json says what the package holds (rows, totals,
every file's SHA-256). Both are signed (Ed25519) by the agency: SHA256SUMS.sig and manifest.sig are the
detached signatures, agency-public.pem the public key.
SHA256SUMS 列出每个文件的 SHA-256；manifest.json 说明报告包内容（行数、合计、每个文件的 SHA-256）。两者均由催收机构
以 Ed25519 签名：SHA256SUMS.sig 与 manifest.sig 为分离签名，agency-public.pem 为公钥。

EVERY step must succeed. If any fails, do not use the package: ask the agency for a new one.
以下每一步都必须成功。任何一步失败，请勿使用本报告包，并请机构重新发送。

The key's fingerprint (SHA-256 of the public key) / 公钥指纹:
   ${fingerprint}
Compare it with the fingerprint the agency gave you in advance, not only with this file: whoever could
change the package could change this file and the key in it too.
请与机构事先提供给您的指纹核对，而不仅是与本文件核对：能篡改报告包的人也能替换本文件和其中的公钥。

A. Linux — OpenSSL 3.0 or later (\`openssl version\`; 1.1.1 and older, and LibreSSL, have no \`pkeyutl -rawin\`).
   In this folder / 在本文件夹中运行:
   $ openssl pkeyutl -verify -pubin -inkey agency-public.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig
   $ openssl pkeyutl -verify -pubin -inkey agency-public.pem -rawin -in manifest.json -sigfile manifest.sig
   $ sha256sum -c SHA256SUMS
   $ openssl pkey -pubin -in agency-public.pem -outform DER | sha256sum
   → "Signature Verified Successfully" twice, every file "OK", then the fingerprint above.
   → 两次 "Signature Verified Successfully"，每个文件 "OK"，最后输出上面的指纹。

B. macOS — the openssl that comes with macOS is LibreSSL, which cannot verify Ed25519 signatures. Use
   OpenSSL 3 from Homebrew (brew install openssl@3), or D (Python). In this folder:
   macOS 自带的 openssl 是 LibreSSL，无法验证 Ed25519 签名：请用 Homebrew 的 OpenSSL 3 或 D（Python）。
   % "$(brew --prefix openssl@3)/bin/openssl" pkeyutl -verify -pubin -inkey agency-public.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig
   % "$(brew --prefix openssl@3)/bin/openssl" pkeyutl -verify -pubin -inkey agency-public.pem -rawin -in manifest.json -sigfile manifest.sig
   % shasum -a 256 -c SHA256SUMS
   % "$(brew --prefix openssl@3)/bin/openssl" pkey -pubin -in agency-public.pem -outform DER | shasum -a 256

C. Windows — the signatures: the two pkeyutl commands of A with an OpenSSL 3 for Windows (e.g. Git for
   Windows' "C:\\Program Files\\Git\\usr\\bin\\openssl.exe"; its \`version\` must say 3.x), or D (Python).
   The hashes, in PowerShell in this folder (stops at the first changed file):
   签名：用 Windows 版 OpenSSL 3 运行 A 中的两条 pkeyutl 命令，或用 D（Python）。文件哈希在 PowerShell 中:
   PS> Get-Content SHA256SUMS | ForEach-Object { $h, $f = $_ -split '  ', 2; if ((Get-FileHash -Algorithm SHA256 -LiteralPath $f).Hash -ne $h) { throw "CHANGED: $f" }; "OK  $f" }

D. Python 3 (any system). The hashes need only the standard library (hashlib); the signatures need the
   \`cryptography\` package (pip install cryptography) — without it the script says the signatures were NOT
   checked and fails. Save the lines between the markers as check.py in this folder, run python3 check.py:
   Python 3：哈希只需标准库；验证签名需安装 cryptography（pip install cryptography）。将标记之间的内容存为 check.py 并运行。
${PY_BEGIN}
${indent(CHECK_PY)}
${PY_END}

Files / 文件: ${files.join(', ')}

Opening the CSV files / 打开 CSV: import case numbers, ID numbers, phone and account columns as TEXT
(spreadsheets otherwise turn long numbers into 2.0E+20 and drop leading zeros).
导入 CSV 时请将案件编号、证件号、电话、账号列设为"文本"，否则表格软件会把长数字变成 2.0E+20 并去掉前导零。
A CSV cell's leading ' only keeps text that starts with = + - @ from running as a formula (the XLSX files
hold such text unaltered). Times are in your time zone with the offset, e.g. 2026-12-06 14:03:00 +08:00.
CSV 中单元格开头的 ' 仅用于防止以 = + - @ 开头的文本被当作公式执行（XLSX 文件中此类文本保持原样）。时间按贵方时区书写并注明时差。

Or, with AgencyDesk / 或使用 AgencyDesk:
   agencydesk verify <this folder or .zip> --pubkey <the agency's key you hold>
`;
}

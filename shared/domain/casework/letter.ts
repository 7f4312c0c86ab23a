// A rendered 催收函 as a page: the layout the print view uses (title, salutation, body, signature, from
// the text's blank-line blocks) and the same letter as one self-contained HTML document, which is what
// gets filed with the case (no scripts, nothing loaded from outside; its SHA-256 is kept with it).

export interface LetterLayout {
  title: string | null;
  salutation: string[];
  body: string[];
  sign: string[];
}

/** Blocks separated by blank lines: a one-line first block is the title, the last block the signature. */
export function letterLayout(text: string): LetterLayout {
  const blocks = text
    .split(/\n\s*\n/)
    .map((b) => b.split('\n').filter((l) => l.trim() !== ''))
    .filter((b) => b.length > 0);
  const title = blocks.length > 2 && blocks[0]!.length === 1 ? blocks.shift()![0]! : null;
  const sign = blocks.length > 2 ? blocks.pop()! : [];
  // A block that ends with a colon addresses the reader (“张三（证件号码 …）：” / “To …:”): no indent.
  const salutation = blocks.length > 1 && /[:：]$/.test(blocks[0]!.at(-1)!) ? blocks.shift()! : [];
  return { title, salutation, body: blocks.flat(), sign };
}

/** The letter's own styles (A4, serif, indented paragraphs), shared by the print view and the filed copy. */
export const LETTER_CSS = `
.ad-print-root h1 { text-align: center; font-size: 18pt; letter-spacing: 0.3em; margin: 0 0 1.5em; }
.ad-print-root p { margin: 0 0 0.6em; white-space: pre-wrap; }
.ad-print-root .body p { text-indent: 2em; }
.ad-print-root .sign { margin-top: 3em; text-align: right; }
.ad-print-root .sign p { margin: 0; }
`;
export const LETTER_FONT = `color: #000; font-family: "Songti SC", SimSun, "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 12pt; line-height: 1.9;`;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** The letter as a standalone HTML document (UTF-8), laid out as it prints. */
export function letterHtml(text: string, docTitle: string, lang: string): string {
  const l = letterLayout(text);
  const ps = (lines: string[]) => lines.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(docTitle)}</title>`,
    `<style>@page { size: A4; margin: 25mm 22mm; } body { margin: 0; background: #fff; } @media screen { body { padding: 32px 16px; } } .ad-print-root { ${LETTER_FONT} max-width: 166mm; margin: 0 auto; }${LETTER_CSS}</style>`,
    '</head>',
    '<body>',
    '<div class="ad-print-root">',
    l.title ? `<h1>${escapeHtml(l.title)}</h1>` : '',
    ps(l.salutation),
    `<div class="body">\n${ps(l.body)}\n</div>`,
    l.sign.length ? `<div class="sign">\n${ps(l.sign)}\n</div>` : '',
    '</div>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((x) => x !== '')
    .join('\n');
}

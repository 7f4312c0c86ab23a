// A rendered 催收函 laid out on A4 for printing. It lives in a body-level node that the screen never
// shows; print CSS hides everything else, so window.print() (Chromium in the browser and in Electron)
// prints just the letter, and "Save as PDF" in the print dialog makes the PDF.
import { createPortal } from 'react-dom';
import GlobalStyles from '@mui/material/GlobalStyles';

const PRINT_CSS = `
@media screen { .ad-print-root { display: none !important; } }
@media print {
  @page { size: A4; margin: 25mm 22mm; }
  body > *:not(.ad-print-root) { display: none !important; }
  html, body { background: #fff !important; }
  .ad-print-root { display: block !important; color: #000; font-family: "Songti SC", SimSun, "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 12pt; line-height: 1.9; }
}
.ad-print-root h1 { text-align: center; font-size: 18pt; letter-spacing: 0.3em; margin: 0 0 1.5em; }
.ad-print-root p { margin: 0 0 0.6em; white-space: pre-wrap; }
.ad-print-root .body p { text-indent: 2em; }
.ad-print-root .sign { margin-top: 3em; text-align: right; }
.ad-print-root .sign p { margin: 0; }
`;

/** Blocks separated by blank lines: a one-line first block is the title, the last block the signature. */
function layout(text: string): { title: string | null; salutation: string[]; body: string[]; sign: string[] } {
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

export function PrintLetter({ text }: { text: string }) {
  const l = layout(text);
  return (
    <>
      <GlobalStyles styles={PRINT_CSS} />
      {createPortal(
        <div className="ad-print-root" data-testid="print-letter">
          {l.title ? <h1>{l.title}</h1> : null}
          {l.salutation.map((p, i) => (
            <p key={`s${i}`}>{p}</p>
          ))}
          <div className="body">
            {l.body.map((p, i) => (
              <p key={`b${i}`}>{p}</p>
            ))}
          </div>
          {l.sign.length ? (
            <div className="sign">
              {l.sign.map((p, i) => (
                <p key={`g${i}`}>{p}</p>
              ))}
            </div>
          ) : null}
        </div>,
        document.body,
      )}
    </>
  );
}

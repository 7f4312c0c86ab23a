// A rendered 催收函 laid out on A4 for printing. It lives in a body-level node that the screen never
// shows; print CSS hides everything else, so window.print() (Chromium in the browser and in Electron)
// prints just the letter, and "Save as PDF" in the print dialog makes the PDF.
import { createPortal } from 'react-dom';
import GlobalStyles from '@mui/material/GlobalStyles';
import { LETTER_CSS, LETTER_FONT, letterLayout } from '../../../shared/domain/casework/letter.js';

const PRINT_CSS = `
@media screen { .ad-print-root { display: none !important; } }
@media print {
  @page { size: A4; margin: 25mm 22mm; }
  body > *:not(.ad-print-root) { display: none !important; }
  html, body { background: #fff !important; }
  .ad-print-root { display: block !important; ${LETTER_FONT} }
}
${LETTER_CSS}`;

export function PrintLetter({ text }: { text: string }) {
  const l = letterLayout(text);
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

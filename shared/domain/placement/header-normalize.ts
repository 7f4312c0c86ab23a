// Header text as compared by the auto-mapper: '  客户姓名（必填）*' and '客户姓名' are the same column,
// so are 'Customer_Name' and 'customer name'.

// Bracketed notes: units '(元)', markers '(必填)', formats '(yyyy-mm-dd)'. NFKC has already turned
// full-width brackets into ASCII ones.
const BRACKETED = /\([^()]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕|<[^>]*>/g;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** NFKC (full-width → half-width, ① → 1), lower case, bracketed notes removed (unless that leaves
 *  nothing), then everything but letters and digits removed: spaces, _ - . * : / and the like. */
export function normalizeHeader(header: string): string {
  const s = header.normalize('NFKC').toLowerCase();
  const unbracketed = s.replace(BRACKETED, '').replace(NOT_WORD, '');
  return unbracketed !== '' ? unbracketed : s.replace(NOT_WORD, '');
}

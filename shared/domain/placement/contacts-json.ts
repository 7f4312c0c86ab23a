// How a case's contacts 1–6 are stored (cases.contacts): one JSON array of [slot, name, relation, phone]
// per contact, with a fifth element 0 when the phone was written but did not parse. Contacts are a third
// of a case's bytes in the object form stores used before ([{slot, name, relation, phone, phoneValid}]),
// and a bulk import's time grows with the bytes it encrypts and reads back; that form is still read.
import type { PlacementContact } from './normalise-row.js';


/** Text JSON.stringify writes unchanged between quotes: no quote, backslash, control character or surrogate. */
function plain(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 34 || c === 92 || c < 32 || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}
const jsonText = (v: string | null) => (v === null ? 'null' : plain(v) ? `"${v}"` : JSON.stringify(v));

/**
 * Exactly JSON.stringify of the stored arrays, written directly: this runs for every row of an import, and
 * building the arrays for JSON.stringify was ~0.5 µs of a row's time in the reader thread.
 */
export function contactsToJson(contacts: readonly PlacementContact[]): string {
  if (contacts.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < contacts.length; i++) {
    const c = contacts[i]!;
    if (i > 0) out += ',';
    out += `[${c.slot},${jsonText(c.name)},${jsonText(c.relation)},${jsonText(c.phone)}${c.phone !== null && !c.phoneValid ? ',0]' : ']'}`;
  }
  return out + ']';
}

function fromArray(a: unknown[]): PlacementContact {
  const [slot, name, relation, phone, valid] = a as [number, string | null, string | null, string | null, number | undefined];
  return { slot, name, relation, phone, phoneValid: phone !== null && valid !== 0 };
}

function fromObject(o: Record<string, unknown>): PlacementContact {
  const phone = (o.phone as string | null | undefined) ?? null;
  return {
    slot: o.slot as number,
    name: (o.name as string | null | undefined) ?? null,
    relation: (o.relation as string | null | undefined) ?? null,
    phone,
    phoneValid: phone !== null && o.phoneValid !== false,
  };
}

/** Reads either stored form; anything else is an error (the column is written only by the importer). */
export function contactsFromJson(json: string): PlacementContact[] {
  const v: unknown = JSON.parse(json);
  if (!Array.isArray(v)) throw new Error('contacts: not a JSON array');
  return v.map((e: unknown) => {
    if (Array.isArray(e)) return fromArray(e);
    if (e && typeof e === 'object') return fromObject(e as Record<string, unknown>);
    throw new Error('contacts: an entry is neither an array nor an object');
  });
}

// The shape every placement parser returns: bad cells are data, not exceptions, so the importer can
// report them next to their row and column and carry on with the next row.
export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

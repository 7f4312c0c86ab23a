// The placed amount (委案金额): the file's placement amount, else its overdue amount. One rule for the case
// view, the ledger's opening balance and every report; always labelled as what it is.
export const placedFenOf = (c: { placement_amount_fen: number | null; overdue_amount_fen: number }): number => c.placement_amount_fen ?? c.overdue_amount_fen;

// The cases every reader sees: all but those of a placement load in progress (migration 026). The view
// `cases` applies this; a query that reads `case_rows` itself (to name an index, which a view cannot)
// applies it with visibleCase. The bound is one value per statement, compared with the row id.
export const LOADING_BOUND = '(SELECT coalesce(min(first_id), 9223372036854775807) FROM case_loading)';

/** The condition that case alias `c` is not part of a load in progress. */
export const visibleCase = (c: string) => `${c}.id < ${LOADING_BOUND}`;

// What counts as a successful call, in SQL over testbed_request_log's columns: shared by the log's readers
// (./request-log-queries.ts) and the usage roll-up its writer keeps (./request-usage-rollup.ts).

/** A call "succeeded": an A0000 answer without a failed bank leg, or an OAuth step (no rsp_code) that was not refused. */
export const SUCCESS_SQL =
  "(rsp_code IS NULL OR (rsp_code = 'A0000' AND (bank_rsp_code IS NULL OR bank_rsp_code = '000')))";

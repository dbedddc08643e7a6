/**
 * Run counts for the property tests: short by default (CI), long with
 * `npm run fuzz` (FUZZ_RUNS, e.g. 20000).
 */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** Upper bound on one analysis call, in ms; generous because CI machines are shared. */
export const CALL_BOUND_MS = Number(process.env.FUZZ_CALL_BOUND_MS ?? 2000);

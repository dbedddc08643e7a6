// The bench's view of the core: the public API plus the effective-policy
// model (used by the server's preview and `meshlens effective`), so the
// whole-corpus check can include it as issue 8 asks.
export * from '../../core/src/index';
export { effectivePolicy, listWorkloads } from '../../core/src/preview/effectivePolicy';

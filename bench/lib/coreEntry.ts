// The bench's view of the core: the public API plus the effective-policy
// model (used by the server's preview and `meshlens effective`), so the
// whole-corpus check can include it as issue 8 asks; the cluster model's
// placement questions (to pick a file several clusters deploy) and its
// cluster builds (to time them); and the CLI's file collection and confined
// reader, so a whole repository is loaded exactly as `meshlens check DIR`
// loads it; and how the desktop client starts the language server, to start it
// the same way.
export * from '../../core/src/index';
export { effectivePolicy, listWorkloads } from '../../core/src/preview/effectivePolicy';
export { gitopsModel } from '../../core/src/gitops/clusters';
export { clustersOf } from '../../core/src/gitops/placement';
export { clusterBuild } from '../../core/src/gitops/clusterBuild';
export { collectFiles } from '../../cli/src/collectFiles';
export { ConfinedFiles } from '../../host/src/fileAccess';
export { SERVER_NODE_FLAGS, COMPILE_CACHE_VARIABLE } from '../../protocol/src/serverProcess';

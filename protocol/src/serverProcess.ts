/**
 * How the desktop client starts the Node language server, in one place so the
 * bench (`bench/lib/serverScan.mjs`) measures the server exactly as editors
 * run it.
 *
 * `--max-semi-space-size=8` (MB): V8's young generation grows to twice this.
 * The server's syntax trees live as long as their files, so nearly every node
 * survives the young generation and is copied out of it; a smaller one copies
 * them out sooner and keeps ~16 MB less resident, at no measured cost in time
 * (bench/profile.md, "Peak RSS at ×1"). The flag must be given at start: V8
 * sizes its heap when the process starts.
 */

export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

/** The environment variable that points Node (22.1+) at its compile cache. */
export const COMPILE_CACHE_VARIABLE = 'NODE_COMPILE_CACHE';

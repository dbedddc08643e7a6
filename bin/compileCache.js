// Turns on Node's on-disk compile cache (module.enableCompileCache, Node 22.1+)
// for the bundles the executables load. Never fails: without support, or when
// the folder cannot be used, the program runs as it would without the cache.
'use strict';
const path = require('node:path');

function enableCompileCache() {
  try {
    const nodeModule = require('node:module');
    if (typeof nodeModule.enableCompileCache !== 'function') return;
    if (process.env.NODE_COMPILE_CACHE) {
      nodeModule.enableCompileCache();
      return;
    }
    const xdg = process.env.XDG_CACHE_HOME;
    nodeModule.enableCompileCache(xdg && path.isAbsolute(xdg) ? path.join(xdg, 'meshlens', 'compile-cache') : undefined);
  } catch {
    // The cache is an optimisation only.
  }
}

module.exports = { enableCompileCache };

#!/usr/bin/env node
// The `meshlens` executable. Node's compile cache (22.1+) keeps V8's compiled
// code of the bundle between runs, which takes most of the start-up cost off
// every run after the first. Cache folder: NODE_COMPILE_CACHE when set (Node
// reads it itself), else $XDG_CACHE_HOME/meshlens, else Node's default under
// the OS temp folder. Older Node versions simply run without it.
require('./compileCache.js').enableCompileCache();
require('../dist/cli.js');

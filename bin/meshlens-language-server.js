#!/usr/bin/env node
// Runs the meshlens language server; pass --stdio for editors other than VS Code.
// The compile cache (see compileCache.js) speeds up every start after the first.
require('./compileCache.js').enableCompileCache();
if (!process.argv.some((arg) => arg === '--stdio' || arg.startsWith('--node-ipc') || arg.startsWith('--socket') || arg.startsWith('--pipe'))) {
  process.argv.push('--stdio');
}
require('../dist/server.js');

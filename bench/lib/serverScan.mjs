// The language server as an editor runs it: `dist/server.js` started with the
// V8 flags and compile cache the desktop client gives it (protocol/src/
// serverProcess.ts, read through the bench's core bundle), initialized on a
// folder over stdio. Measures the workspace scan (from `initialized` to the
// server's "workspace scan: …" log line, every file read, checked and
// published) and the process's peak RSS after it (VmHWM, Linux only).
//
// Invariant: the server process is always ended (shutdown, exit, then a kill),
// also when the scan does not finish within the time limit.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

/**
 * One start of the server on `folder`. `flags` and `compileCache` as the client passes them.
 * Returns { scanMs, peakRss (bytes, NaN off Linux), files, log } or throws after `timeoutMs`.
 */
export async function serverScan({ serverModule, folder, flags, compileCacheVariable, compileCache, timeoutMs = 120_000 }) {
  const child = spawn(process.execPath, [...flags, serverModule, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, [compileCacheVariable]: compileCache },
  });
  child.stdin.on('error', () => undefined);
  child.stderr.resume();
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(folder).href;
  let started = 0;
  const scanned = new Promise((resolve) => {
    connection.onNotification('window/logMessage', (params) => {
      const match = /^workspace scan: (\d+) files/.exec(params.message);
      if (match) resolve({ scanMs: performance.now() - started, files: Number(match[1]), log: params.message });
    });
  });
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onRequest('workspace/codeLens/refresh', () => null);
  connection.listen();
  let timer;
  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'bench' }],
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { trusted: false },
    });
    started = performance.now();
    await connection.sendNotification('initialized', {});
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the server did not finish its workspace scan of ${folder} in ${timeoutMs} ms`)), timeoutMs);
    });
    const result = await Promise.race([scanned, timeout]);
    return { ...result, peakRss: peakRss(child.pid) };
  } finally {
    clearTimeout(timer);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await Promise.race([connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2000))]);
      await connection.sendNotification('exit').catch(() => undefined);
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    connection.dispose();
    child.kill();
  }
}

/** The peak resident set of a live process, from /proc (bytes); NaN where there is no /proc. */
function peakRss(pid) {
  try {
    const status = readFileSync(join('/proc', String(pid), 'status'), 'utf8');
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

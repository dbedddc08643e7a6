/**
 * LSP lifecycle against the bundled server over raw stdio frames: requests
 * before `initialize`, a second `initialize`, requests and notifications
 * after `shutdown`, `exit` codes, and malformed `Content-Length` headers
 * (the server must say so and stop, not wait silently).
 */

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo';

interface RawServer {
  child: ChildProcessWithoutNullStreams;
  send(message: object): void;
  sendRaw(bytes: string): void;
  response(id: number): Promise<{ id: number; result?: unknown; error?: { code: number; message: string } }>;
  exited: Promise<number | null>;
  stderr(): string;
}

const started: RawServer[] = [];

afterEach(() => {
  for (const server of started.splice(0)) if (server.child.exitCode === null) server.child.kill();
});

function startRaw(): RawServer {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => undefined);
  let buffer = Buffer.alloc(0);
  let errors = '';
  const messages: { id?: number }[] = [];
  const waiters: (() => void)[] = [];
  child.stderr.on('data', (data: Buffer) => (errors += data.toString('utf8')));
  child.stdout.on('data', (data: Buffer) => {
    buffer = Buffer.concat([buffer, data]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) break;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
      if (buffer.length < headerEnd + 4 + length) break;
      messages.push(JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')));
      buffer = buffer.subarray(headerEnd + 4 + length);
      waiters.splice(0).forEach((wake) => wake());
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const sendRaw = (bytes: string) => child.stdin.write(bytes);
  const server: RawServer = {
    child,
    sendRaw,
    send(message) {
      const body = JSON.stringify({ jsonrpc: '2.0', ...message });
      sendRaw(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    },
    async response(id) {
      for (;;) {
        const found = messages.find((message) => message.id === id);
        if (found) return found as Awaited<ReturnType<RawServer['response']>>;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    exited,
    stderr: () => errors,
  };
  started.push(server);
  return server;
}

const initialize = (id: number) => ({ id, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

describe('LSP lifecycle', () => {
  it('refuses requests before initialize and a second initialize', async () => {
    const server = startRaw();
    server.send({ id: 1, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.yaml' }, position: { line: 0, character: 0 } } });
    expect((await server.response(1)).error?.code).toBe(-32002);
    server.send(initialize(2));
    expect((await server.response(2)).result).toHaveProperty('capabilities');
    server.send({ method: 'initialized', params: {} });
    server.send(initialize(3));
    expect((await server.response(3)).error?.code).toBe(-32600);
  });

  it('answers requests after shutdown with InvalidRequest, and exit then ends with code 0', async () => {
    const server = startRaw();
    server.send(initialize(1));
    await server.response(1);
    server.send({ method: 'initialized', params: {} });
    server.send({ id: 2, method: 'shutdown' });
    expect(await server.response(2)).toMatchObject({ id: 2, result: null });
    server.send({ id: 3, method: 'textDocument/completion', params: { textDocument: { uri: 'file:///x.yaml' }, position: { line: 0, character: 0 } } });
    expect((await server.response(3)).error?.code).toBe(-32600);
    server.send({ id: 4, method: 'shutdown' });
    expect((await server.response(4)).error?.code).toBe(-32600);
    server.send({ method: 'exit' });
    expect(await server.exited).toBe(0);
  });

  it('exits with code 1 on exit without shutdown', async () => {
    const server = startRaw();
    server.send(initialize(1));
    await server.response(1);
    server.send({ method: 'exit' });
    expect(await server.exited).toBe(1);
  });

  it.each([
    ['not a number', 'Content-Length: abc\r\n\r\n{}'],
    ['missing', 'Content-Type: application/vscode-jsonrpc\r\n\r\n{}'],
  ])('logs an error and exits with code 1 on a Content-Length that is %s', async (_label, frame) => {
    const server = startRaw();
    server.send(initialize(1));
    await server.response(1);
    server.sendRaw(frame);
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('unreadable message from the client, stopping');
  });
});

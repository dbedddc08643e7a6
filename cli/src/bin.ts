/**
 * Entry point of the `meshlens` executable. A closed pipe on stdout or stderr
 * (`meshlens check | head`) ends the process quietly with the exit code known
 * so far; no other output happens after it.
 */

import { run } from './main';

let pipeClosed = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      pipeClosed = true;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    }
    throw error;
  });
}

const write = (stream: NodeJS.WriteStream) => (text: string) => {
  if (!pipeClosed) stream.write(text);
};

run(process.argv.slice(2), {
  stdout: write(process.stdout),
  stderr: write(process.stderr),
  isTty: Boolean(process.stdout.isTTY),
  stderrIsTty: Boolean(process.stderr.isTTY),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    write(process.stderr)(`meshlens: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);

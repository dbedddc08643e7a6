/** Entry point of the `meshlens` executable. */

import { run } from './main';

run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`meshlens: internal error: ${String(error)}\n`);
    process.exitCode = 2;
  },
);

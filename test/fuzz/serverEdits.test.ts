/**
 * Edit sequences against the running server: thousands of random
 * `didChange` edits (ranges inside, at and past the end of the document); the
 * server must stay alive, and after each batch its diagnostics must equal a
 * fresh in-process check of the final text (incremental = full).
 *
 * A second session types into a ~13.7 KB policy (an insert, then its undo,
 * each followed by a completion request at the cursor) and reads the
 * server's resident memory at 1k/10k/50k/150k edits: the caches are bounded by
 * bytes, so memory must level off. Short in CI (500 edits); the long fuzz mode
 * (`npm run fuzz`, FUZZ_RUNS >= 20000) runs 150,000 edits, or set
 * FUZZ_EDIT_SESSION to a count.
 */

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { defaultAnalysisOptions } from '../../core/src/options';
import { MeshlensService } from '../../core/src/service';
import { toLspDiagnostic } from '../../server/src/convert';
import { keyToUri } from '../../server/src/uris';
import { stripAnnotations } from '../support/fixtureHarness';
import { startLanguageServer } from '../support/lspClient';
import { repoRoot } from '../support/repo';
import { FUZZ_RUNS } from './fuzzSettings';

const EDITS = Math.max(1000, FUZZ_RUNS * 7);
const BATCH = 50;

describe('server under random edits', () => {
  it(`survives ${EDITS} didChange edits and matches a fresh check after every batch`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'meshlens-edits-'));
    const session = await startLanguageServer({
      root,
      capabilities: { workspace: { configuration: true }, textDocument: { diagnostic: {} } },
      initializationOptions: { diagnosticMode: 'pull' },
    });
    const { connection } = session;
    let exited = false;
    session.process.on('exit', () => (exited = true));

    const file = join(root, 'policy.yaml');
    const uri = keyToUri(file);
    const seed = stripAnnotations(readFileSync(join(repoRoot, 'test/fixtures/schema/unknown-field/cnp-typo.yaml'), 'utf8'));
    let document = TextDocument.create(uri, 'yaml', 1, seed);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: seed } });

    const alphabet = ['a', ' ', '\n', ':', '- ', '  ', '"', '[', ']', '{', '}', 'port: "80"\n', 'toPorts:\n', 'ingress:\n', '#', '---\n', '\t'];
    const edit = fc.record({
      startLine: fc.nat({ max: 60 }),
      startCharacter: fc.nat({ max: 40 }),
      length: fc.nat({ max: 8 }),
      text: fc.array(fc.constantFrom(...alphabet), { maxLength: 4 }).map((parts) => parts.join('')),
    });
    const batches = fc.sample(fc.array(edit, { minLength: BATCH, maxLength: BATCH }), { numRuns: Math.ceil(EDITS / BATCH), seed: 42 });
    // The server links findings to the rule pages that ship beside it.
    const options = { ...defaultAnalysisOptions(), docsBaseUrl: pathToFileURL(join(repoRoot, 'docs', 'rules')).href };
    let version = 1;
    let sent = 0;
    for (const batch of batches) {
      for (const change of batch) {
        const start = { line: change.startLine, character: change.startCharacter };
        const end = { line: change.startLine, character: change.startCharacter + change.length };
        const contentChanges = [{ range: { start, end }, text: change.text }];
        document = TextDocument.update(document, contentChanges, ++version);
        void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
        sent++;
      }
      const report = (await connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { items: unknown[] };
      const fresh = new MeshlensService({ roots: [root] });
      fresh.setFile(file, document.getText());
      expect(report.items, `after ${sent} edits`).toEqual(fresh.diagnostics(file, options).map(toLspDiagnostic));
      expect(exited).toBe(false);
    }
    expect(sent).toBeGreaterThanOrEqual(EDITS);
    await session.stop();
  }, 120_000);
});

const SESSION_EDITS = Number(process.env.FUZZ_EDIT_SESSION ?? (FUZZ_RUNS >= 20_000 ? 150_000 : 500));
const RSS_CHECKPOINTS = [1_000, 10_000, 50_000, 150_000];

/** A CiliumNetworkPolicy of about 13.7 KB: many L7 ingress rules. */
function largePolicy(): string {
  let text = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: big\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n';
  for (let index = 0; text.length < 13_700; index++) {
    text += `    - fromEndpoints:\n        - matchLabels: {app: client-${index}, tier: web}\n      toPorts:\n        - ports: [{port: "80${index % 10}", protocol: TCP}]\n          rules:\n            http: [{method: GET, path: "/api/v${index}/.*"}]\n`;
  }
  return text;
}

/** Resident memory of a process in MiB (Linux /proc), or undefined elsewhere. */
function rssMiB(pid: number | undefined): number | undefined {
  const status = `/proc/${pid}/status`;
  if (pid === undefined || !existsSync(status)) return undefined;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : undefined;
}

describe('server memory over a long edit session', () => {
  it(`levels off over ${SESSION_EDITS} edits with completion requests on a 13.7 KB policy`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'meshlens-session-'));
    const session = await startLanguageServer({ root, capabilities: { workspace: { configuration: true } } });
    const { connection } = session;
    let exited = false;
    session.process.on('exit', () => (exited = true));
    const uri = keyToUri(join(root, 'policy.yaml'));
    const seed = largePolicy();
    const lines = seed.split('\n').length - 1;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: seed } });
    const random = fc.sample(fc.tuple(fc.nat({ max: lines - 1 }), fc.constantFrom('a', 'x: 1', 'port', '- ', 'zz')), { numRuns: 4096, seed: 7 });
    const rss: Record<number, number | undefined> = {};
    let version = 1;
    for (let edit = 1; edit <= SESSION_EDITS; edit++) {
      // Odd edits insert at the start of a line; even edits undo it, so the text stays ~13.7 KB but every version differs.
      const [line, text] = random[Math.floor((edit - 1) / 2) % random.length];
      const salt = `${Math.floor((edit - 1) / 2)}`;
      const inserted = `${text}${salt}`;
      const change =
        edit % 2 === 1
          ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: inserted }
          : { range: { start: { line, character: 0 }, end: { line, character: inserted.length } }, text: '' };
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [change] });
      await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: edit % 2 === 1 ? inserted.length : 0 } });
      if (RSS_CHECKPOINTS.includes(edit) || edit === SESSION_EDITS) {
        rss[edit] = rssMiB(session.process.pid);
        console.log(`server RSS after ${edit} edits: ${rss[edit] ?? 'n/a'} MiB`);
      }
      expect(exited).toBe(false);
    }
    const at10k = rss[10_000];
    const last = rss[SESSION_EDITS];
    // Levelled off: the last reading is close to the one at 10k edits (only checked when the session is that long).
    if (at10k !== undefined && last !== undefined && SESSION_EDITS >= 50_000) expect(last).toBeLessThan(Math.max(at10k * 1.5, at10k + 150));
    expect(exited).toBe(false);
    await session.stop();
  }, Math.max(120_000, SESSION_EDITS * 20));
});

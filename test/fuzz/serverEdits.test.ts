/**
 * Edit sequences against the running server: thousands of random
 * `didChange` edits (ranges inside, at and past the end of the document); the
 * server must stay alive, and after each batch its diagnostics must equal a
 * fresh in-process check of the final text (incremental = full).
 */

import { mkdtempSync, readFileSync } from 'node:fs';
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

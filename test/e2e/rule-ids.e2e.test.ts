// Issue #19, rule ids where users write them (fixtures/rule-ids, opened as a temporary copy because the
// scenarios edit it):
//   - settings.json: completion inside `meshlens.rules` offers the rule ids (the configuration schema
//     that `npm run gen:docs` writes into package.json), and an id no rule has is flagged by VS Code's
//     settings validation;
//   - a `# meshlens-disable-next-line` comment with a misspelt id: `yaml/unknown-suppression-rule` says so
//     and the finding it meant to silence stays; its quick fix writes the nearest id, and then both leave
//     the Problems panel.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVsCode, type ProblemRow, type VsCodeSession } from './harness';
import { fixturesDir, scenarioInput, screenshotOnFailure } from './scenarioSupport';

const input = scenarioInput('rule-ids');
const policyFile = 'payments-egress.yaml';

const unknownSuppression = (rows: ProblemRow[]) => rows.filter((row) => row.file === policyFile && row.source === 'meshlens' && row.code === 'yaml/unknown-suppression-rule');
const fqdnWarning = (rows: ProblemRow[]) => rows.filter((row) => row.file === policyFile && row.source === 'meshlens' && row.code === 'cnp/fqdn-without-dns-rule');

describe.skipIf(input.skipReason !== undefined)('#19: rule ids in settings.json and in suppression comments', () => {
  let vscode: VsCodeSession | undefined;

  beforeAll(async () => {
    vscode = await startVsCode({ vsix: input.vsix!, workspaceFolder: path.join(fixturesDir, 'rule-ids'), copyWorkspace: true });
  });

  afterAll(async () => {
    await vscode?.close();
  });

  it('settings.json completes rule ids under meshlens.rules and flags an unknown one', async () => {
    screenshotOnFailure(() => vscode, 'rule-ids-settings');
    const session = vscode!;
    await session.openFile('.vscode/settings.json');
    // The misspelt id in the file is not a property the schema allows.
    const rows = await session.waitForProblems((current) => current.some((row) => row.file === 'settings.json' && row.message.includes('cnp/fqdn-without-dns-rul')));
    expect(rows.filter((row) => row.file === 'settings.json').map((row) => row.message).join('\n')).toMatch(/cnp\/fqdn-without-dns-rul\b.*not allowed/);
    await session.runCommand('View: Hide Panel');
    await session.openFile('.vscode/settings.json');
    // `"cnp/l7-requires-tcp": "warning",` -> `"cnp/fq"` with the cursor before the closing quote (auto-closed).
    const line = await session.lineNumberOf('"cnp/l7-requires-tcp"');
    await session.replaceToEndOfLine(line, 5, '"cnp/fq');
    const labels = await session.triggerCompletion();
    expect(labels.some((label) => label.includes('cnp/fqdn-without-dns-rule')), JSON.stringify(labels)).toBe(true);
    // Only ids of the family typed are left after filtering: no setting name, no other family.
    expect(labels.every((label) => label.includes('cnp/')), JSON.stringify(labels)).toBe(true);
    await session.runCommand('File: Revert File');
  });

  it('a misspelt id in a suppression comment is reported, and its quick fix makes the comment work', async () => {
    screenshotOnFailure(() => vscode, 'rule-ids-suppression');
    const session = vscode!;
    const before = await session.waitForProblems((current) => unknownSuppression(current).length === 1 && fqdnWarning(current).length === 1, 60_000);
    expect(unknownSuppression(before)[0].message).toContain('did you mean "cnp/fqdn-without-dns-rule"');
    await session.runCommand('View: Hide Panel');
    await session.openFile(`policies/${policyFile}`);
    const line = await session.lineNumberOf('meshlens-disable-next-line');
    const text = (await session.renderedLines()).find((entry) => entry.line === line)!.text;
    await session.goToPosition(line, text.indexOf('cnp/') + 3);
    await session.quickFix('Use "cnp/fqdn-without-dns-rule"');
    // The edit is applied after the menu closes: read until it shows.
    await expect.poll(() => session.editorText(), { timeout: 10_000 }).toContain('# meshlens-disable-next-line cnp/fqdn-without-dns-rule\n');
    // The comment now names the rule: the finding it sits above and the complaint about the id both go.
    // (The settings.json row still listed shows the panel was read with its rows.)
    const after = await session.waitForProblems(
      (current) => unknownSuppression(current).length === 0 && fqdnWarning(current).length === 0 && current.some((row) => row.file === 'settings.json'),
    );
    expect(after.filter((row) => row.file === policyFile && row.source === 'meshlens')).toEqual([]);
  });
});

/** Every path the CLI does not check is reported: a summary line in text, a list in JSON, notes in SARIF. */

import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../core/src/index';
import { formatJson } from '../../cli/src/formats/json';
import { skippedSummaryLine, toSkippedPaths, type Report } from '../../cli/src/formats/report';
import { formatSarif } from '../../cli/src/formats/sarif';
import { formatText } from '../../cli/src/formats/text';

const summary = { files: 2, filesWithFindings: 0, errors: 0, warnings: 0, infos: 0, hints: 0, durationMs: 5 };
const skipped = toSkippedPaths([
  { display: 'repo/link.yaml', reason: 'symbolic link' },
  { display: 'repo/other-link.yaml', reason: 'symbolic link' },
  { display: 'repo/locked', reason: 'permission denied' },
]);

describe('skipped paths in every output format', () => {
  it('text: one summary line by reason', () => {
    const text = formatText({ diagnostics: [], summary, skipped }, false);
    expect(text.trimEnd().split('\n').at(-1)).toBe('3 paths not checked: symbolic link ×2; permission denied (--format json lists them)');
  });

  it('text: no line when nothing was skipped', () => {
    expect(skippedSummaryLine([])).toBeUndefined();
    expect(formatText({ diagnostics: [], summary }, false)).not.toContain('not checked');
  });

  it('JSON: each path with its reason', () => {
    const parsed = JSON.parse(formatJson({ diagnostics: [], summary, skipped } satisfies Report));
    expect(parsed.skipped).toEqual([
      { file: 'repo/link.yaml', reason: 'symbolic link' },
      { file: 'repo/other-link.yaml', reason: 'symbolic link' },
      { file: 'repo/locked', reason: 'permission denied' },
    ]);
    expect(JSON.parse(formatJson({ diagnostics: [], summary })).skipped).toBeUndefined();
  });

  it('SARIF: one tool execution notification per path', () => {
    const sarif = JSON.parse(formatSarif({ diagnostics: [], summary, skipped }, ALL_RULES, '0.0.0', 'https://example.invalid/docs'));
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes).toHaveLength(3);
    expect(notes[2]).toEqual({
      level: 'note',
      message: { text: 'Not checked: permission denied' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'repo/locked', uriBaseId: '%SRCROOT%' } } }],
    });
  });
});

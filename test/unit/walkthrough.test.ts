/**
 * The contributed walkthrough: every step runs a command (a `command:` link
 * in its description, and in its Markdown page), completes when that command
 * runs (`completionEvents`), and names only commands that exist — meshlens's
 * own from package.json, or the VS Code commands listed here.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; walkthroughs: { steps: { id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }[] }[] };
};
const BUILT_IN = new Set(['workbench.actions.view.problems', 'workbench.action.openSettings', 'editor.action.quickFix']);
const contributed = new Set(manifest.contributes.commands.map((command) => command.command));
const commandsIn = (text: string) => [...text.matchAll(/\]\(command:([A-Za-z0-9_.]+)(?:\?[^)]*)?\)/g)].map((match) => match[1]);

describe('walkthrough', () => {
  const steps = manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps);

  it('has steps', () => {
    expect(steps.map((step) => step.id)).toEqual(['problems', 'nodeprofiles', 'quickfixes', 'preview', 'map']);
  });

  it.each(steps.map((step) => [step.id, step] as const))('step %s runs an existing command and completes when it runs', (_id, step) => {
    const commands = commandsIn(step.description);
    expect(commands.length, step.description).toBeGreaterThan(0);
    for (const command of commands) expect(contributed.has(command) || BUILT_IN.has(command), command).toBe(true);
    expect(step.completionEvents).toEqual([`onCommand:${commands[0]}`]);
    const page = join(repoRoot, step.media.markdown ?? '');
    expect(existsSync(page), page).toBe(true);
    const pageCommands = commandsIn(readFileSync(page, 'utf8'));
    expect(pageCommands).toContain(commands[0]);
    for (const command of pageCommands) expect(contributed.has(command) || BUILT_IN.has(command), command).toBe(true);
  });
});

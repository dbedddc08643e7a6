/**
 * A suppression comment (`# meshlens-disable-next-line ID`,
 * `# meshlens-disable-file ID`) that names no rule meshlens has silences
 * nothing: the finding it was written for still shows, or — worse — the id
 * was misspelt and the comment looks like it works when the finding is fixed
 * and comes back. Reported at the id, with the nearest rule id as a fix.
 */

import { editDistance } from '../../util/editDistance';
import { ALL_RULES } from '../index';
import type { LocalRule } from '../types';

const COMMENT = /#\s*meshlens-disable-(?:next-line|file)\b([^\n]*)/g;

let knownIds: Set<string> | undefined;
let knownFamilies: Set<string> | undefined;

function known(): { ids: Set<string>; families: Set<string> } {
  knownIds ??= new Set(ALL_RULES.map((rule) => rule.meta.id));
  knownFamilies ??= new Set([...knownIds].map((id) => id.split('/')[0]));
  return { ids: knownIds, families: knownFamilies };
}

function nearest(id: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(id.length / 4));
  for (const candidate of candidates) {
    const distance = editDistance(id, candidate, bestDistance);
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export const unknownSuppressionRule: LocalRule = {
  meta: {
    id: 'yaml/unknown-suppression-rule',
    severity: 'warning',
    title: 'Suppression comment names an unknown rule',
    anyDocument: true,
    docs: {
      summary: 'A `# meshlens-disable-next-line` or `# meshlens-disable-file` comment names a rule id (or `family/*`) that meshlens does not have.',
      why: 'The comment silences nothing. A misspelt id looks as if it works until the finding it was meant for appears again. `meshlens rules` lists the ids.',
      bad: 'spec:\n  # meshlens-disable-next-line cnp/unknwn-entity\n  endpointSelector: {}\n',
      good: 'spec:\n  # meshlens-disable-next-line cnp/unknown-entity\n  endpointSelector: {}\n',
    },
    fix: { title: 'Use the nearest rule id', safe: false },
  },
  check(context) {
    const text = context.document.text;
    if (!text.includes('meshlens-disable')) return;
    const { ids, families } = known();
    for (const match of text.matchAll(COMMENT)) {
      const argumentsStart = match.index + match[0].length - match[1].length;
      for (const word of match[1].matchAll(/[^\s,]+/g)) {
        const id = word[0];
        if (id.startsWith('--')) break; // `-- reason` ends the list
        const family = id.endsWith('/*') ? id.slice(0, -2) : undefined;
        if (family !== undefined ? families.has(family) : ids.has(id)) continue;
        const start = argumentsStart + word.index;
        const range = { start, end: start + id.length };
        const suggestion = family !== undefined ? nearest(family, families) : nearest(id, ids);
        const replacement = suggestion === undefined ? undefined : family !== undefined ? `${suggestion}/*` : suggestion;
        context.report(
          range,
          `No rule is called "${id}", so this comment silences nothing${replacement ? `; did you mean "${replacement}"?` : ' (meshlens rules lists the ids)'}`,
          replacement ? { fixes: [{ title: `Use "${replacement}"`, safe: false, preferred: true, edits: [{ range, newText: replacement }] }] } : undefined,
        );
      }
    }
  },
};

/**
 * Which YAML is really a Go/Helm template, so that its syntax errors are not
 * reported as broken YAML. Two answers, both deliberately narrow:
 *
 * - by path: files in a Helm chart's `templates/` folder and `.tpl` files are
 *   templates as a whole (`isTemplatePath`);
 * - by structure, per document: a document that does not parse and holds a
 *   template action (`{{`) in plain YAML text — not in a comment, a quoted
 *   string or a block scalar, where YAML keeps it as text — or an action
 *   whose own quotes break a quoted string (`"{{ f "." }}"`)
 *   (`documentShowsGoTemplating`).
 *
 * Invariant: a `{{` that YAML reads as text never makes a document a
 * template, so a comment mentioning `{{` next to a real syntax error still
 * gets the error reported. Pure text functions; nothing here throws.
 */

/** True for files that Helm renders: a chart's `templates/` folder, `.tpl` files. */
export function isTemplatePath(path: string | undefined): boolean {
  if (!path) return false;
  return /(^|\/)templates\//.test(path) || /\.tpl$/i.test(path);
}

const QUOTED = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'/g;
/** A line whose value is a block scalar (`key: |`, `- >-`, `key: |2+ # note`). */
const BLOCK_SCALAR_START = /(^|[:\-?]\s)\s*[|>][0-9+-]*\s*(#.*)?$/;

/** True when a `{{` appears where YAML would read it as structure, not text. */
export function documentShowsGoTemplating(text: string): boolean {
  if (text.indexOf('{{') === -1) return false;
  const lines = text.split('\n');
  let blockIndent = -1;
  for (const rawLine of lines) {
    const line = rawLine.replace(/\r$/, '');
    const content = line.trimStart();
    const indent = line.length - content.length;
    if (blockIndent >= 0) {
      if (content === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (content === '' || content.startsWith('#')) continue;
    let actionCrossesQuotes = false;
    const unquoted = stripComment(
      line.replace(QUOTED, (quoted) => {
        // `"{{ f .X "." }}"`: the action's own quotes end the string early, so the action spans quotes.
        if (count(quoted, '{{') !== count(quoted, '}}')) actionCrossesQuotes = true;
        return '""';
      }),
    );
    if (actionCrossesQuotes || unquoted.includes('{{')) return true;
    if (BLOCK_SCALAR_START.test(unquoted.trimEnd())) blockIndent = indent;
  }
  return false;
}

function count(text: string, needle: string): number {
  let total = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) total++;
  return total;
}

/** Cuts a trailing `# comment` (a `#` at the line start or after whitespace). */
function stripComment(line: string): string {
  const match = /(^|\s)#/.exec(line);
  return match ? line.slice(0, match.index) : line;
}

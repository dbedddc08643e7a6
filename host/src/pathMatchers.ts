/**
 * Path filters from settings and flags (`meshlens.files.exclude` globs, the
 * CLI's `--exclude` regular expressions), compiled for RE2 (re2js): matching
 * time is linear in the path whatever the pattern, so a repository's own
 * settings (`**` repeated, nested stars) cannot make a scan spin.
 *
 * Invariant: nothing here uses the JavaScript regex engine on a pattern that
 * came from outside; a pattern RE2 rejects is reported, never run.
 */

import { RE2JS } from 're2js';

export interface PathMatcher {
  /** Does the pattern match this `/`-separated path? */
  test(path: string): boolean;
  /** The pattern as written (for messages). */
  readonly source: string;
}

/** A regular expression in RE2 syntax (searched anywhere in the path, like `RegExp.test`); throws SyntaxError with a short reason when RE2 rejects it. */
export function compilePathRegExp(pattern: string): PathMatcher {
  let compiled;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    throw new SyntaxError(error instanceof Error ? error.message : String(error));
  }
  return { test: (path) => compiled.test(path), source: pattern };
}

/**
 * A glob: `**` any run of characters (across `/`; `**` followed by `/` also
 * matches nothing), `*` any run without `/`, `?` one character except `/`,
 * everything else literal. The glob matches a whole path or a whole suffix
 * starting after a `/`. Returns undefined for a glob RE2 cannot compile
 * (cannot happen for the syntax above, but a setting is outside data).
 */
export function compileGlob(glob: string): PathMatcher | undefined {
  let pattern = '';
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (char === '*' && glob[index + 1] === '*') {
      while (glob[index + 1] === '*') index++; // `***` is `**`
      if (glob[index + 1] === '/') {
        index++;
        pattern += '(?:.*/)?';
      } else pattern += '.*';
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else pattern += RE2JS.quote(char);
  }
  try {
    const compiled = RE2JS.compile(`(?:^|/)${pattern}$`);
    return { test: (path) => compiled.test(path), source: glob };
  } catch {
    return undefined;
  }
}

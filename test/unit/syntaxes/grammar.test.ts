// Tests for syntaxes/meshlens-injection.tmLanguage.json, the TextMate grammar
// injected into YAML. The fixture (fixtures/injection.yaml) holds YAML lines
// with caret assertion lines under them; see its header for the format.
//
// The injection is exercised against two base grammars:
// - fixtures/yaml-standin.tmLanguage.json, a small YAML grammar of our own
//   (always available);
// - VS Code's own YAML grammar as shipped inside the code-server install made
//   by scripts/setup-e2e.sh (`.e2e/`, git-ignored). It is read in place, never
//   copied; the suite is skipped with a logged reason when it is absent.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..', '..');
const injectionPath = path.join(repoRoot, 'syntaxes', 'meshlens-injection.tmLanguage.json');
const injectionScope = 'meshlens.yaml.injection';
const standInPath = path.join(here, 'fixtures', 'yaml-standin.tmLanguage.json');
const fixturePath = path.join(here, 'fixtures', 'injection.yaml');

// VS Code's YAML grammar inside the e2e install (see scripts/setup-e2e.sh).
const e2eDir = process.env.MESHLENS_E2E_DIR ?? path.join(repoRoot, '.e2e');
const vscodeYamlDir = path.join(e2eDir, 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'yaml', 'syntaxes');
const hasVsCodeYaml = existsSync(path.join(vscodeYamlDir, 'yaml.tmLanguage.json'));
if (!hasVsCodeYaml) {
  console.warn(`[grammar.test] VS Code YAML grammar not found under ${vscodeYamlDir}; run scripts/setup-e2e.sh to test against it too.`);
}

interface Assertion {
  /** Index of the source line (after assertion lines are removed). */
  line: number;
  fixtureLineNumber: number;
  startColumn: number;
  endColumn: number;
  present: string[];
  absent: string[];
}

interface ParsedFixture {
  sourceLines: string[];
  assertions: Assertion[];
}

/** `#   ^^^ a.scope -b.scope` or `#<- a.scope` (column 0) under a source line. */
const assertionLine = /^#(?:(\s*)(\^+)|(<-))\s+(\S.*)$/;

function parseFixture(text: string): ParsedFixture {
  const sourceLines: string[] = [];
  const assertions: Assertion[] = [];
  text.split('\n').forEach((raw, index) => {
    const match = assertionLine.exec(raw);
    if (!match) {
      sourceLines.push(raw);
      return;
    }
    if (sourceLines.length === 0) throw new Error(`fixture line ${index + 1}: assertion before any source line`);
    const startColumn = match[3] ? 0 : 1 + match[1]!.length;
    const width = match[3] ? 1 : match[2]!.length;
    const scopes = match[4]!.trim().split(/\s+/);
    assertions.push({
      line: sourceLines.length - 1,
      fixtureLineNumber: index + 1,
      startColumn,
      endColumn: startColumn + width,
      present: scopes.filter((scope) => !scope.startsWith('-')),
      absent: scopes.filter((scope) => scope.startsWith('-')).map((scope) => scope.slice(1)),
    });
  });
  return { sourceLines, assertions };
}

let onigLibPromise: Promise<textmate.IOnigLib> | undefined;
function loadOnigLib(): Promise<textmate.IOnigLib> {
  onigLibPromise ??= (async () => {
    const wasmPath = path.join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm');
    const wasm = readFileSync(wasmPath);
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return {
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    };
  })();
  return onigLibPromise;
}

/** Builds a registry where `source.yaml` comes from `grammarFiles` and gets our injection. */
async function loadYamlWithInjection(grammarFiles: Record<string, string>): Promise<textmate.IGrammar> {
  const registry = new textmate.Registry({
    onigLib: loadOnigLib(),
    loadGrammar: async (scopeName) => {
      const file = scopeName === injectionScope ? injectionPath : grammarFiles[scopeName];
      if (!file) return null;
      return textmate.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName) => (scopeName === 'source.yaml' ? [injectionScope] : undefined),
  });
  const grammar = await registry.loadGrammar('source.yaml');
  if (!grammar) throw new Error('source.yaml did not load');
  return grammar;
}

/** Scopes of every character of every line. */
function tokenizeLines(grammar: textmate.IGrammar, lines: string[]): string[][][] {
  let state = textmate.INITIAL;
  return lines.map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    const perCharacter: string[][] = [];
    for (const token of result.tokens) {
      for (let column = token.startIndex; column < Math.min(token.endIndex, line.length); column++) {
        perCharacter[column] = token.scopes;
      }
    }
    return perCharacter;
  });
}

function failedAssertions(grammar: textmate.IGrammar, fixture: ParsedFixture): string[] {
  const scopes = tokenizeLines(grammar, fixture.sourceLines);
  const failures: string[] = [];
  for (const assertion of fixture.assertions) {
    const line = fixture.sourceLines[assertion.line]!;
    for (let column = assertion.startColumn; column < assertion.endColumn; column++) {
      const here = scopes[assertion.line]![column];
      if (!here) {
        failures.push(`fixture line ${assertion.fixtureLineNumber}: column ${column} is past the end of "${line}"`);
        break;
      }
      const missing = assertion.present.filter((scope) => !here.includes(scope));
      const unexpected = assertion.absent.filter((scope) => here.includes(scope));
      if (missing.length > 0 || unexpected.length > 0) {
        failures.push(
          `fixture line ${assertion.fixtureLineNumber}, column ${column} ('${line[column]}') of "${line.trim()}": ` +
            (missing.length ? `missing ${missing.join(', ')} ` : '') +
            (unexpected.length ? `unexpected ${unexpected.join(', ')} ` : '') +
            `(has ${here.join(' ')})`,
        );
        break;
      }
    }
  }
  return failures;
}

const fixture = parseFixture(readFileSync(fixturePath, 'utf8'));

describe('meshlens injection grammar file', () => {
  const grammar = JSON.parse(readFileSync(injectionPath, 'utf8')) as {
    scopeName: string;
    injectionSelector: string;
      repository: Record<string, unknown>;
  };

  it('is an injection into source.yaml whose own scopes all end in .meshlens', () => {
    expect(grammar.scopeName).toBe(injectionScope);
    expect(grammar.injectionSelector).toBe('L:source.yaml');
    const names: string[] = [];
    JSON.stringify(grammar.repository, (key, value) => {
      if (key === 'name' && typeof value === 'string') names.push(...value.split(/\s+/));
      return value;
    });
    // Besides our own scopes, keys and quotes keep the YAML scopes themes expect.
    const borrowed = names.filter((name) => !name.endsWith('.meshlens'));
    expect(names.filter((name) => name.endsWith('.meshlens')).length).toBeGreaterThan(20);
    expect(new Set(borrowed)).toEqual(
      new Set([
        'entity.name.tag.yaml',
        'punctuation.separator.map.value.yaml',
        'punctuation.definition.string.begin.yaml',
        'punctuation.definition.string.end.yaml',
        'string.quoted.double.yaml',
        'string.quoted.single.yaml',
        'punctuation.definition.comment.yaml',
      ]),
    );
  });

  it('fixture has assertions for every highlighted construct', () => {
    const asserted = new Set(fixture.assertions.flatMap((assertion) => assertion.present));
    for (const scope of [
      'string.regexp.http-rule.cilium.meshlens',
      'keyword.other.path-template.istio.meshlens',
      'meta.principal.spiffe.meshlens',
      'variable.other.substitution.flux.meshlens',
      'keyword.control.directive.meshlens',
      'entity.name.rule-id.meshlens',
    ]) {
      expect(asserted.has(scope), scope).toBe(true);
    }
    expect(fixture.assertions.length).toBeGreaterThan(40);
  });
});

describe('injected into the stand-in YAML grammar', () => {
  it('meets every assertion of the fixture', async () => {
    const grammar = await loadYamlWithInjection({ 'source.yaml': standInPath });
    expect(failedAssertions(grammar, fixture)).toEqual([]);
  });

  it('leaves YAML alone when the injection is not registered', async () => {
    const registry = new textmate.Registry({
      onigLib: loadOnigLib(),
      loadGrammar: async (scopeName) =>
        scopeName === 'source.yaml' ? textmate.parseRawGrammar(readFileSync(standInPath, 'utf8'), standInPath) : null,
    });
    const plain = (await registry.loadGrammar('source.yaml'))!;
    const scopes = tokenizeLines(plain, fixture.sourceLines).flat(2);
    expect(scopes.some((scope) => scope.endsWith('.meshlens'))).toBe(false);
    // ...so the failures above would come from the injection, not the fixture.
    expect(failedAssertions(plain, fixture).length).toBeGreaterThan(30);
  });
});

describe.skipIf(!hasVsCodeYaml)("injected into VS Code's YAML grammar (from the e2e install)", () => {
  it('meets every assertion of the fixture', async () => {
    const files: Record<string, string> = {
      'source.yaml': path.join(vscodeYamlDir, 'yaml.tmLanguage.json'),
      'source.yaml.1.3': path.join(vscodeYamlDir, 'yaml-1.3.tmLanguage.json'),
      'source.yaml.1.2': path.join(vscodeYamlDir, 'yaml-1.2.tmLanguage.json'),
      'source.yaml.1.1': path.join(vscodeYamlDir, 'yaml-1.1.tmLanguage.json'),
      'source.yaml.1.0': path.join(vscodeYamlDir, 'yaml-1.0.tmLanguage.json'),
      'source.yaml.embedded': path.join(vscodeYamlDir, 'yaml-embedded.tmLanguage.json'),
    };
    const grammar = await loadYamlWithInjection(files);
    expect(failedAssertions(grammar, fixture)).toEqual([]);
  });
});

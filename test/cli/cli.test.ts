/**
 * The CLI end to end through its bundle (`dist/cli.js`, built by `npm test`):
 * every output format, exit codes, relative paths, SARIF validated against the
 * SARIF 2.1.0 JSON schema.
 */

import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { describe, expect, it, beforeAll } from 'vitest';
import { meshlens } from '../support/cli';


let workdir: string;

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'meshlens-cli-'));
  mkdirSync(join(workdir, 'policies'));
  writeFileSync(
    join(workdir, 'policies', 'web.yaml'),
    'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEndpoints:\n        - {}\n      toPort: []\n',
  );
  writeFileSync(join(workdir, 'policies', 'ok.yaml'), 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: ok\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEndpoints:\n        - {}\n');
  writeFileSync(join(workdir, 'not-ours.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {bogus: true}\n');
});

describe('meshlens check', () => {
  it('prints compiler-style text with a summary and exits 1 on errors', () => {
    const result = meshlens(['check', 'policies', '--no-color'], workdir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('policies/web.yaml:10:7: error schema/unknown-field: Unknown field "toPort"; did you mean "toPorts"?');
    expect(result.stdout).toMatch(/1 error, 0 warnings, 0 info in 1 of 2 files checked/);
  });

  it('exits 0 on a clean file and ignores kinds it does not own', () => {
    expect(meshlens(['check', 'policies/ok.yaml', 'not-ours.yaml'], workdir).code).toBe(0);
  });

  it('--fail-on none exits 0 even with errors; unknown flags and formats exit 2', () => {
    expect(meshlens(['check', 'policies', '--fail-on', 'none'], workdir).code).toBe(0);
    expect(meshlens(['check', 'policies', '--format', 'xml'], workdir).code).toBe(2);
    expect(meshlens(['check', '--frobnicate'], workdir).code).toBe(2);
    expect(meshlens(['check', 'does-not-exist'], workdir).code).toBe(2);
  });

  it('JSON keeps the given relative path and 1-based positions', () => {
    const result = meshlens(['check', 'policies', '--format', 'json'], workdir);
    const report = JSON.parse(result.stdout);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({ file: 'policies/web.yaml', line: 10, column: 7, endLine: 10, endColumn: 13, severity: 'error', rule: 'schema/unknown-field' }),
    ]);
    expect(report.summary).toMatchObject({ files: 2, errors: 1, warnings: 0 });
  });

  it('GitHub format emits workflow commands', () => {
    const result = meshlens(['check', 'policies', '--format', 'github'], workdir);
    expect(result.stdout).toContain('::error file=policies/web.yaml,line=10,col=7,endLine=10,endColumn=13,title=meshlens schema/unknown-field::Unknown field "toPort"');
  });

  it('SARIF is valid against the SARIF 2.1.0 schema and carries rules and regions', () => {
    const result = meshlens(['check', 'policies', '--format', 'sarif'], workdir);
    const sarif = JSON.parse(result.stdout);
    const require = createRequire(import.meta.url);
    // The official SARIF 2.1.0 schema (shipped in an npm package; no network). It is
    // written for JSON Schema draft-04 and uses nothing ajv 8 reads differently,
    // so it is compiled without its $schema marker.
    const { $schema: _draft, id: schemaId, ...schema } = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    schema.$id = schemaId;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.find((rule: { id: string }) => rule.id === 'schema/unknown-field')).toMatchObject({
      shortDescription: { text: expect.any(String) },
      helpUri: expect.stringContaining('schema/unknown-field.md'),
    });
    expect(run.results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'policies/web.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 10, startColumn: 7, endLine: 10, endColumn: 13 },
    });
    expect(run.results[0].fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe('toPorts');
  });

  it('--fix applies safe fixes in place and reports each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshlens-fix-'));
    const original = readFileSync(join(workdir, 'policies', 'web.yaml'), 'utf8');
    writeFileSync(join(dir, 'web.yaml'), original);
    const result = meshlens(['check', '.', '--fix'], dir);
    expect(result.stderr).toContain('fixed web.yaml:10:7: schema/unknown-field: Rename "toPort" to "toPorts"');
    expect(readFileSync(join(dir, 'web.yaml'), 'utf8')).toBe(original.replace('toPort:', 'toPorts:'));
    expect(result.code).toBe(0);
  });

  it('lists rules', () => {
    const result = meshlens(['rules', '--format', 'json'], workdir);
    expect(JSON.parse(result.stdout).map((rule: { id: string }) => rule.id)).toContain('yaml/syntax');
  });
});

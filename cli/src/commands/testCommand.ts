/**
 * `meshlens test [paths] [--format text|json|junit|sarif]`: runs every case of
 * the `PolicyTest` documents in the given paths against the policies there;
 * exit 1 when a case fails or cannot run, 0 when all pass (or there is no
 * case), 2 on usage errors.
 *
 * `meshlens test [paths] --generate [--name NAME] [--output FILE]` writes a
 * starting PolicyTest from the current effective policy (one allow and one
 * deny probe per rule) to stdout, or to a new FILE (created atomically: a
 * temporary file renamed into place, never over an existing file, checked
 * after writing).
 */

import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { generatePolicyTests, POLICY_TEST_CASE_FAILS, renderGeneratedTests, runPolicyTests, type PolicyTestResult } from '../../../core/src/index';
import { checkKnownFlags, flag, UsageError, type ParsedArgs } from '../args';
import type { ExtraCommand } from '../cliContext';
import { loadWorkspace, optionsFromFlags, VERSION, type CliIo } from '../cliContext';

const TEST_HELP = `Usage:
  meshlens test [paths...] [--format text|json|junit|sarif]
      runs the cases of the PolicyTest documents (meshlens.dev/v1alpha1) in the paths
      against the Cilium, Kubernetes and Istio policies there; exit 1 on a failed case
  meshlens test [paths...] --generate [--name NAME] [--output FILE]
      writes a starting PolicyTest from the current effective policy (one allow and
      one deny probe per rule), for review; FILE must not exist
  Options: --cilium-version X.Y  --istio-root-namespace NS (default: istio-system)
`;

export const TEST_COMMAND: ExtraCommand = {
  name: 'test',
  usage: 'test [paths] [--generate]',
  summary: 'run PolicyTest cases (who may talk to whom) against the policies',
  run: (args, io) => (args.flags.has('help') ? (io.stdout(TEST_HELP), 0) : testCommand(args, io)),
};

function testCommand(args: ParsedArgs, io: CliIo): number {
  checkKnownFlags(args, ['format', 'generate', 'name', 'output', 'cilium-version', 'istio-root-namespace', 'help']);
  const options = optionsFromFlags(args);
  const { service, displayByKey } = loadWorkspace(args.positionals, options);
  const display = (file: string) => displayByKey.get(file) ?? file;
  if (args.flags.has('generate')) return generate(args, io, service.workspace, options, display);
  const format = flag(args, 'format') ?? 'text';
  if (!['text', 'json', 'junit', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json, junit or sarif, not "${format}"`);
  const results = runPolicyTests(service.workspace, options);
  const lineOf = (result: PolicyTestResult) => {
    const yamlFile = service.workspace.getFile(result.testCase.file);
    const chunk = yamlFile?.yaml.documents[result.testCase.document];
    return yamlFile && chunk ? yamlFile.yaml.lineIndex.positionAt(chunk.start + result.testCase.start).line + 1 : 1;
  };
  const rendered = format === 'json' ? json(results, display, lineOf) : format === 'junit' ? junit(results, display, lineOf) : format === 'sarif' ? sarif(results, display, lineOf) : text(results, display, lineOf);
  io.stdout(rendered);
  return results.some((result) => result.outcome !== 'pass') ? 1 : 0;
}

type Display = (file: string) => string;
type LineOf = (result: PolicyTestResult) => number;

function text(results: PolicyTestResult[], display: Display, lineOf: LineOf): string {
  const lines = results.map((result) => {
    const mark = result.outcome === 'pass' ? 'PASS' : result.outcome === 'fail' ? 'FAIL' : 'ERROR';
    const cluster = result.testCase.cluster ? ` [cluster ${result.testCase.cluster}${result.result?.cluster?.scoped === false ? ': no cluster model, judged on the whole workspace' : ''}]` : '';
    return `${mark}  ${display(result.testCase.file)}:${lineOf(result)}  ${result.testCase.suite} / ${result.testCase.name}${cluster}\n      ${result.message}`;
  });
  const passed = results.filter((result) => result.outcome === 'pass').length;
  const failed = results.filter((result) => result.outcome === 'fail').length;
  const errors = results.length - passed - failed;
  lines.push(`${results.length} case${results.length === 1 ? '' : 's'}: ${passed} passed, ${failed} failed${errors ? `, ${errors} could not run` : ''}`);
  return `${lines.join('\n')}\n`;
}

function json(results: PolicyTestResult[], display: Display, lineOf: LineOf): string {
  const cases = results.map((result) => ({
    file: display(result.testCase.file),
    line: lineOf(result),
    suite: result.testCase.suite,
    name: result.testCase.name,
    ...(result.testCase.cluster ? { cluster: result.testCase.cluster } : {}),
    expect: result.testCase.expect,
    ...(result.actual ? { actual: result.actual } : {}),
    outcome: result.outcome,
    message: result.message,
    decidedBy: result.decidedBy.map((source) => ({ file: display(source.file), line: source.line, rule: source.rule })),
  }));
  const summary = { cases: results.length, passed: results.filter((result) => result.outcome === 'pass').length, failed: results.filter((result) => result.outcome === 'fail').length, errors: results.filter((result) => result.outcome === 'error').length };
  return `${JSON.stringify({ summary, cases }, null, 2)}\n`;
}

function xml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function junit(results: PolicyTestResult[], display: Display, lineOf: LineOf): string {
  const suites = new Map<string, PolicyTestResult[]>();
  for (const result of results) {
    const key = `${display(result.testCase.file)}#${result.testCase.suite}`;
    suites.set(key, [...(suites.get(key) ?? []), result]);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="meshlens test" tests="${results.length}" failures="${results.filter((r) => r.outcome === 'fail').length}" errors="${results.filter((r) => r.outcome === 'error').length}">`];
  for (const [key, list] of suites) {
    out.push(`  <testsuite name="${xml(key)}" tests="${list.length}" failures="${list.filter((r) => r.outcome === 'fail').length}" errors="${list.filter((r) => r.outcome === 'error').length}">`);
    for (const result of list) {
      const attributes = `name="${xml(result.testCase.name)}" classname="${xml(result.testCase.suite)}" file="${xml(display(result.testCase.file))}" line="${lineOf(result)}"`;
      if (result.outcome === 'pass') out.push(`    <testcase ${attributes}/>`);
      else out.push(`    <testcase ${attributes}>`, `      <${result.outcome === 'fail' ? 'failure' : 'error'} message="${xml(result.message)}"/>`, '    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function sarif(results: PolicyTestResult[], display: Display, lineOf: LineOf): string {
  const failures = results.filter((result) => result.outcome !== 'pass');
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'meshlens', version: VERSION, rules: [{ id: POLICY_TEST_CASE_FAILS, shortDescription: { text: 'PolicyTest case that fails' } }] } },
        results: failures.map((result) => ({
          ruleId: POLICY_TEST_CASE_FAILS,
          level: 'error',
          message: { text: `${result.testCase.name}: ${result.message}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: display(result.testCase.file) }, region: { startLine: lineOf(result) } } }],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function generate(args: ParsedArgs, io: CliIo, workspace: Parameters<typeof generatePolicyTests>[0], options: Parameters<typeof generatePolicyTests>[1], display: Display): number {
  const name = flag(args, 'name') ?? 'generated';
  const text = renderGeneratedTests(name, generatePolicyTests(workspace, options, display));
  const output = flag(args, 'output');
  if (output === undefined) {
    io.stdout(text);
    return 0;
  }
  if (existsSync(output)) throw new UsageError(`--output ${output} exists; meshlens test --generate never overwrites a file`);
  const temporary = join(dirname(output), `.${basename(output)}.meshlens-${process.pid}.tmp`);
  writeFileSync(temporary, text, { flag: 'wx' });
  try {
    // A hard link fails when the target appeared meanwhile: the file is created only if absent.
    linkSync(temporary, output);
  } finally {
    unlinkSync(temporary);
  }
  if (readFileSync(output, 'utf8') !== text) throw new UsageError(`${output} does not hold what was written`);
  io.stderr(`wrote ${output}\n`);
  return 0;
}

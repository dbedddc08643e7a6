/**
 * `PolicyTest` documents (`meshlens.dev/v1alpha1`): cases "from → to : port/
 * protocol [method path host headers]" with the verdict the repository's
 * policies must give, evaluated by `simulate` on the effective-policy model.
 * Used by `meshlens test`, the `policytest/case-fails` rule (failures in the
 * Problems panel) and a CodeLens per case (✓/✗ with the deciding rules); and
 * `generatePolicyTests` writes a starting file from the current policy.
 *
 * A case's `cluster` (or `spec.cluster`) scopes it to that cluster: only the
 * policies the cluster deploys count, judged by its Cilium (see
 * `clusterScope.ts`); a name that is no cluster of the repository makes the
 * case an error (and a `policytest/unknown-cluster` finding). When the
 * repository models no cluster, the case is judged on the whole workspace and
 * the result says so. Pure; never throws.
 */

import { deref, mapGet, scalarString, type YamlNode } from '../parse/ast';
import type { AnalysisOptions } from '../options';
import type { WorkspaceModel } from '../workspace/model';
import type { WorkspaceView } from '../workspace/workspace';
import { ciliumPolicyIndex, workloadId } from './ciliumIndex';
import type { SourceRef } from './model';
import { isSimulateError, simulateRequest, type SimulateQuery, type SimulateResult } from './simulate';
import { shortLocation } from './sources';
import { resolveCluster } from './clusterScope';
import { previewIndex } from './workloads/previewIndex';
import { subjectMatches } from './ciliumIndex';

export const POLICY_TEST_KIND = 'PolicyTest';
export const POLICY_TEST_API_VERSION = 'meshlens.dev/v1alpha1';

export interface PolicyTestCase {
  file: string;
  document: number;
  /** Position in `spec.cases`. */
  index: number;
  /** `metadata.name` of the PolicyTest. */
  suite: string;
  name: string;
  query: SimulateQuery;
  expect: 'allow' | 'deny';
  cluster?: string;
  /** The case item, document-relative. */
  start: number;
  end: number;
  /** Problems reading the case (missing fields), when it cannot run. */
  invalid?: string;
}

export interface PolicyTestResult {
  testCase: PolicyTestCase;
  outcome: 'pass' | 'fail' | 'error';
  actual?: 'allow' | 'deny';
  /** One line: what happened and which rules decided. */
  message: string;
  /** The case names a cluster the repository does not define (reported by `policytest/unknown-cluster`). */
  unknownCluster?: true;
  decidedBy: SourceRef[];
  result?: SimulateResult;
}

export function readPolicyTests(workspace: WorkspaceModel, file?: string): PolicyTestCase[] {
  const cases: PolicyTestCase[] = [];
  const documents = file ? workspace.fileResources(file).filter((document) => document.identity.kind === POLICY_TEST_KIND) : workspace.byKind(POLICY_TEST_KIND);
  for (const document of documents) {
    if (document.identity.apiVersion !== POLICY_TEST_API_VERSION) continue;
    const spec = deref(mapGet(document.parsed.root, 'spec'));
    const list = deref(mapGet(spec, 'cases'));
    if (list?.type !== 'seq') continue;
    const suite = document.identity.name ?? '';
    const suiteCluster = scalarString(mapGet(spec, 'cluster'));
    list.items.forEach((item, index) => {
      const node = deref(item);
      if (!node || node.type !== 'map') return;
      cases.push(readCase(node, { file: document.file, document: document.index, index, suite, suiteCluster }));
    });
  }
  return cases;
}

function readCase(node: YamlNode, at: { file: string; document: number; index: number; suite: string; suiteCluster?: string }): PolicyTestCase {
  const text = (key: string) => scalarString(mapGet(node, key));
  const from = text('from') ?? '';
  const to = text('to') ?? '';
  const portText = text('port') ?? '';
  const expected = text('expect');
  const headersNode = deref(mapGet(node, 'headers'));
  const headers: Record<string, string> = {};
  if (headersNode?.type === 'map') for (const pair of headersNode.pairs) {
    const key = scalarString(pair.key);
    const value = scalarString(pair.value);
    if (key !== undefined && value !== undefined) headers[key] = value;
  }
  const problems = [
    ...(from ? [] : ['from']),
    ...(to ? [] : ['to']),
    ...(/^\d+$/.test(portText) ? [] : ['port']),
    ...(expected === 'allow' || expected === 'deny' ? [] : ['expect (allow or deny)']),
  ];
  const method = text('method');
  const path = text('path');
  const host = text('host');
  const protocol = text('protocol');
  const query: SimulateQuery = {
    from,
    to,
    port: Number(portText),
    ...(protocol ? { protocol } : {}),
    ...(method ? { method } : {}),
    ...(path ? { path } : {}),
    ...(host ? { host } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
  const cluster = text('cluster') ?? at.suiteCluster;
  if (cluster) query.cluster = cluster;
  const http = method || path ? ` ${method ?? '*'} ${path ?? '*'}` : '';
  return {
    file: at.file,
    document: at.document,
    index: at.index,
    suite: at.suite,
    name: text('name') ?? `${from} → ${to} :${portText}/${(protocol ?? 'TCP').toUpperCase()}${http}`,
    query,
    expect: expected === 'deny' ? 'deny' : 'allow',
    ...(cluster ? { cluster } : {}),
    start: node.start,
    end: node.end,
    ...(problems.length > 0 ? { invalid: `the case needs ${problems.join(', ')}` } : {}),
  };
}

export function runPolicyTest(workspace: WorkspaceView, testCase: PolicyTestCase, options: AnalysisOptions): PolicyTestResult {
  if (testCase.invalid) return { testCase, outcome: 'error', message: testCase.invalid, decidedBy: [] };
  const cluster = testCase.cluster !== undefined ? resolveCluster(workspace, testCase.cluster) : undefined;
  if (cluster?.kind === 'error') return { testCase, outcome: 'error', message: cluster.error, decidedBy: [], unknownCluster: true };
  const outcome = simulateRequest(workspace, testCase.query, options);
  if (isSimulateError(outcome)) return { testCase, outcome: 'error', message: outcome.error, decidedBy: [] };
  const deciding = outcome.decidedBy.slice(0, 3).map((source) => `${source.rule} (${shortLocation(source)})`);
  const because = deciding.length > 0 ? ` — decided by ${deciding.join(', ')}${outcome.decidedBy.length > 3 ? ` … +${outcome.decidedBy.length - 3}` : ''}` : ` — ${outcome.layers[0]?.reason ?? 'no policy applies'}`;
  const pass = outcome.verdict === testCase.expect;
  const message = pass ? `${outcome.verdict}${because}` : `expected ${testCase.expect}, the policies ${outcome.verdict === 'allow' ? 'allow' : 'deny'} it${because}`;
  return { testCase, outcome: pass ? 'pass' : 'fail', actual: outcome.verdict, message, decidedBy: outcome.decidedBy, result: outcome };
}

export function runPolicyTests(workspace: WorkspaceView, options: AnalysisOptions, file?: string): PolicyTestResult[] {
  return readPolicyTests(workspace, file).map((testCase) => runPolicyTest(workspace, testCase, options));
}

// ---------------------------------------------------------------- generation

export interface GeneratedCase {
  name: string;
  from: string;
  to: string;
  port: number;
  protocol: string;
  method?: string;
  path?: string;
  expect: 'allow' | 'deny';
  /** The rule the probe is about (`file:line rule`), written as a comment. */
  about: string;
}

const OUTSIDER_LABEL = 'meshlens.dev/probe=outsider';

/**
 * One allow probe and one deny probe per allow rule of every Cilium policy
 * and NetworkPolicy that selects a workload: the allow probe is a peer the
 * rule names, on its first port (with the first HTTP rule's method and path);
 * the deny probe is a pod no rule names (`meshlens.dev/probe=outsider` in the
 * same namespace) on that port. Expected verdicts are what the policies give
 * today, for the reviewer to confirm.
 */
export function generatePolicyTests(workspace: WorkspaceView, options: AnalysisOptions, display: (file: string) => string = (file) => file): GeneratedCase[] {
  const index = previewIndex(workspace);
  const cases: GeneratedCase[] = [];
  const seen = new Set<string>();
  for (const spec of ciliumPolicyIndex(workspace, options).specs) {
    const selected = index.workloadsIn(spec.subject?.namespace).find((workload) => subjectMatches(spec.subject, workload, index));
    if (!selected) continue;
    const self = workloadId(selected);
    for (const { direction, entry } of spec.allows) {
      const port = entry.ports === 'all' ? undefined : entry.ports.find((candidate) => /^\d+$/.test(candidate.port) && candidate.port !== '0');
      const portNumber = port ? Number(port.port) : 80;
      const protocol = port && port.protocol !== 'ANY' ? port.protocol : 'TCP';
      const peer = entry.peer.kind === 'endpoints' && entry.peer.workloads.length > 0 ? entry.peer.workloads[0] : entry.peer.kind === 'entity' ? entry.peer.entity : entry.peer.kind === 'cidr' ? entry.peer.cidr.replace(/\/\d+$/, '') : entry.peer.kind === 'fqdn' && entry.peer.matchName ? entry.peer.matchName : undefined;
      const http = entry.l7?.http.find((rule) => rule.method || rule.path);
      const about = `${display(entry.source.file)}:${entry.source.line} ${entry.source.rule}`;
      const key = `${self}|${about}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const probe = (from: string, to: string, expectName: string): GeneratedCase | undefined => {
        const query: SimulateQuery = { from, to, port: portNumber, protocol, ...(http?.method ? { method: http.method } : {}), ...(http?.path ? { path: concretePath(http.path) } : {}) };
        const outcome = simulateRequest(workspace, query, options);
        if (isSimulateError(outcome)) return undefined;
        return { name: `${expectName} ${from} → ${to} :${portNumber}/${protocol}`, from, to, port: portNumber, protocol, ...(query.method ? { method: query.method } : {}), ...(query.path ? { path: query.path } : {}), expect: outcome.verdict, about };
      };
      const outsider = `${selected.namespace}/${OUTSIDER_LABEL}`;
      const pair = direction === 'ingress' ? [peer && probe(peer, self, 'peer of the rule:'), probe(outsider, self, 'pod no rule names:')] : [peer && probe(self, peer, 'peer of the rule:'), probe(self, outsider, 'pod no rule names:')];
      for (const item of pair) if (item) cases.push(item);
    }
  }
  return cases;
}

/** A path that a Cilium path regex accepts, for probes (`/api/v1/.*` → `/api/v1/x`). */
function concretePath(pattern: string): string {
  const path = pattern
    .replace(/\([^()]*\)[?*]/g, '')
    .replace(/\.\*|\.\+/g, 'x')
    .replace(/\[[^\]]*\][+*?]?/g, '1')
    .replace(/\\(.)/g, '$1')
    .replace(/[()^$?+*|]/g, '');
  return path.startsWith('/') ? path : `/${path}`;
}

export function renderGeneratedTests(name: string, cases: GeneratedCase[]): string {
  const quote = (value: string) => (/^[A-Za-z0-9_./-]+$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) && !/^\d/.test(value) ? value : JSON.stringify(value));
  const lines = [
    '# Generated by `meshlens test --generate` from the effective policy of this repository.',
    '# Each expected verdict is what the policies give today: review every case before committing.',
    'apiVersion: meshlens.dev/v1alpha1',
    'kind: PolicyTest',
    'metadata:',
    `  name: ${quote(name)}`,
    'spec:',
    cases.length > 0 ? '  cases:' : '  cases: []',
  ];
  for (const testCase of cases) {
    lines.push(`    # ${testCase.about.replace(/\n/g, ' ')}`);
    lines.push(`    - name: ${quote(testCase.name)}`);
    lines.push(`      from: ${quote(testCase.from)}`);
    lines.push(`      to: ${quote(testCase.to)}`);
    lines.push(`      port: ${testCase.port}`);
    lines.push(`      protocol: ${testCase.protocol}`);
    if (testCase.method) lines.push(`      method: ${quote(testCase.method)}`);
    if (testCase.path) lines.push(`      path: ${quote(testCase.path)}`);
    lines.push(`      expect: ${testCase.expect}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Custom requests of the effective-policy preview. Each handler finds the
 * document (when a position is given), calls the core and returns its plain
 * data plus the Markdown the client shows as it is (a request cancelled
 * before it runs is answered with RequestCancelled):
 * - `meshlens/workloads` → the workspace's workloads (`namespace/name`, kind, file:line);
 * - `meshlens/effectivePolicy` `{workload}` or `{uri, position}` → `{workload, model, markdown}`,
 *   or `{error}` when no workload is named or under the cursor;
 * - `meshlens/simulate` `{from, to, port, protocol?, method?, path?, host?, headers?}`
 *   → the simulate result plus `markdown`, or `{error}`.
 */

import { RequestType, RequestType0, type ResponseError } from 'vscode-languageserver';
import { cancelledError } from '../work';
import { effectivePolicy, listWorkloads, workloadAt } from '../../../core/src/index';
import { renderEffectivePolicy, renderSimulation } from '../../../core/src/index';
import { isSimulateError, simulateRequest } from '../../../core/src/index';
import { relativeDisplay } from '../../../core/src/index';
import type { HandlerContext } from './context';
import {
  EFFECTIVE_POLICY_REQUEST,
  SIMULATE_REQUEST,
  WORKLOADS_REQUEST,
  type EffectivePolicyParams,
  type EffectivePolicyResponse,
  type SimulateParams,
  type SimulateResponse,
  type WorkloadsResponse,
} from '../../../protocol/src/messages';
import { lastComparison } from './lastComparison';

/** What the last "Compare with Branch" found for this workload, as a section of its effective-policy view. */
function differencesFromBase(workload: string): string {
  const comparison = lastComparison();
  if (!comparison) return '';
  const changes = comparison.changes.filter((change) => change.workload === workload);
  const lines = ['', '', `## Differences from ${comparison.ref}`, ''];
  if (changes.length === 0) lines.push(`No change of who may reach or be reached by this workload since ${comparison.ref}.`);
  for (const change of changes) {
    lines.push(`- ${change.effect === 'widened' ? '🟢 widened' : '🔴 narrowed'} (${change.layer} ${change.direction}): ${change.summary} — \`${change.source.file}:${change.source.line}\`${change.revision === 'base' ? ` (${comparison.ref})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

const WORKLOADS_TYPE = new RequestType0<WorkloadsResponse, void>(WORKLOADS_REQUEST);
const EFFECTIVE_POLICY_TYPE = new RequestType<EffectivePolicyParams, EffectivePolicyResponse, void>(EFFECTIVE_POLICY_REQUEST);
const SIMULATE_TYPE = new RequestType<SimulateParams, SimulateResponse, void>(SIMULATE_REQUEST);

export function registerPolicyHandlers(context: HandlerContext): void {
  const { connection, service } = context;
  const display = () => relativeDisplay([...service.roots()]);

  connection.onRequest(WORKLOADS_TYPE, (token) => (token.isCancellationRequested ? cancelledError() : listWorkloads(service.workspace)));

  connection.onRequest(EFFECTIVE_POLICY_TYPE, (params, token): EffectivePolicyResponse | ResponseError<void> => {
    if (token.isCancellationRequested) return cancelledError();
    const options = context.options();
    let id = typeof params?.workload === 'string' ? params.workload : undefined;
    if (!id && typeof params?.uri === 'string' && params.position) {
      const synced = context.syncedFile(params.uri);
      if (synced) id = workloadAt(service.workspace, synced.file, synced.document.offsetAt(params.position), options);
    }
    if (!id) return { error: 'No workload here: put the cursor on a workload or a policy that selects one, or pick a workload.' };
    const model = effectivePolicy(service.workspace, id, options);
    if (!model) return { error: `Unknown workload "${id}".` };
    return { workload: model.workload.id, model, markdown: renderEffectivePolicy(model, 'markdown', display()) + differencesFromBase(model.workload.id) };
  });

  connection.onRequest(SIMULATE_TYPE, (params, token): SimulateResponse | ResponseError<void> => {
    if (token.isCancellationRequested) return cancelledError();
    if (!params || typeof params.from !== 'string' || typeof params.to !== 'string' || typeof params.port !== 'number') {
      return { error: 'simulate needs from, to (namespace/name) and a numeric port' };
    }
    const result = simulateRequest(service.workspace, params, context.options());
    if (isSimulateError(result)) return result;
    return { ...result, markdown: renderSimulation(result, 'markdown', display()) };
  });
}

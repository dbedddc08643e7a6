/** Builders for effective-policy tests: small manifests as YAML text, a workspace from them, and a request helper. */

import { defaultAnalysisOptions, type AnalysisOptions } from '../../../core/src/options';
import { isSimulateError, simulateRequest, type SimulateQuery, type SimulateResult } from '../../../core/src/preview/simulate';
import { Workspace } from '../../../core/src/workspace/workspace';

export const namespace = (name: string, labels: Record<string, string> = {}) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${JSON.stringify(labels)}\n`;

export const deployment = (ns: string, name: string, labels: Record<string, string>, serviceAccount = name, ports: { name: string; containerPort: number }[] = []) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  template:\n    metadata:\n      labels: ${JSON.stringify(labels)}\n    spec:\n      serviceAccountName: ${serviceAccount}\n      containers:\n        - name: app\n          image: app\n          ports: ${JSON.stringify(ports)}\n`;

export const cnp = (ns: string, name: string, spec: string) => `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}`;
export const ccnp = (name: string, spec: string) => `apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
export const authz = (ns: string, name: string, spec: string) => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}`;

/** A workspace with one file per entry (`/repo/<name>.yaml`). */
export function workspaceOf(files: Record<string, string>): Workspace {
  const workspace = new Workspace({}, ['/repo']);
  for (const [name, text] of Object.entries(files)) workspace.setFile(`/repo/${name}.yaml`, text);
  return workspace;
}

export const options: AnalysisOptions = defaultAnalysisOptions({ ciliumVersion: '1.18' });

export function simulate(workspace: Workspace, query: SimulateQuery, analysisOptions: AnalysisOptions = options): SimulateResult {
  const result = simulateRequest(workspace, query, analysisOptions);
  if (isSimulateError(result)) throw new Error(result.error);
  return result;
}

/** `layer=verdict` for every layer, e.g. `cilium-l3l4=allow cilium-l7=deny`. */
export function layers(result: SimulateResult): string {
  return result.layers.map((layer) => `${layer.layer}=${layer.verdict}`).join(' ');
}

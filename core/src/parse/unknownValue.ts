/**
 * "Is this value known before it is rendered?" — the one answer every rule
 * family uses. A value is unknown until render when it holds
 * - a Flux post-build substitution: `${VAR}`, `${VAR:=default}`,
 *   `${VAR:-default}` (and the other `${…}` forms envsubst accepts); `$${…}`
 *   is Flux's escape and stays literal text, so it is known;
 * - a Go/Helm template action `{{ … }}` (in a string, or written bare, where
 *   YAML reads it as a flow map: `port: {{ .Values.port }}`).
 * Such values are left to the renderer: rules neither validate nor compare
 * them, and findings never guess what they become.
 *
 * Invariants: pure; the scalar's decoded text is what is tested (quotes and
 * escapes resolved); a node's source text is tested only when the caller
 * passes the document text (needed for bare `{{ … }}`, which is no scalar).
 */

import { deref, type YamlNode } from './ast';

const SUBSTITUTION = /(^|[^$])\$\{[^}]*\}/;

/** True when the text holds a `${…}` substitution or a `{{` template action. */
export function textUnknownUntilRender(text: string | undefined): boolean {
  if (text === undefined) return false;
  if (text.indexOf('{{') !== -1) return true;
  return text.indexOf('${') !== -1 && SUBSTITUTION.test(text);
}

/**
 * True when a node's value is unknown until render: a scalar whose text holds
 * a placeholder, or (with the document text) any node whose source holds a
 * template action.
 */
export function nodeUnknownUntilRender(node: YamlNode | undefined, documentText?: string): boolean {
  const target = deref(node);
  if (!target) return false;
  if (target.type === 'scalar' && textUnknownUntilRender(target.text)) return true;
  if (documentText === undefined || !node) return false;
  return documentText.slice(node.start, node.end).includes('{{');
}

/** True when a plain value (from `toValue` or merged Helm values) holds a placeholder anywhere; bounded depth. */
export function valueUnknownUntilRender(value: unknown, deep = true, depth = 0): boolean {
  if (typeof value === 'string') return textUnknownUntilRender(value);
  if (!deep || depth > 64 || !value || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => valueUnknownUntilRender(item, deep, depth + 1));
  return Object.values(value).some((item) => valueUnknownUntilRender(item, deep, depth + 1));
}

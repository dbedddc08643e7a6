/** Merge keys resolved in the tree (bounded) and the one "unknown until render" test. */

import { describe, expect, it } from 'vitest';
import { nodeAtPath, type YamlNode } from '../../../core/src/parse/ast';
import { MAX_MERGED_PAIRS, parseDocumentChunk } from '../../../core/src/parse/parseDocument';
import { toValue } from '../../../core/src/parse/toValue';
import { nodeUnknownUntilRender, textUnknownUntilRender, valueUnknownUntilRender } from '../../../core/src/parse/unknownValue';
import { documentShowsGoTemplating, isTemplatePath } from '../../../core/src/parse/goTemplate';

function textOf(source: string, node: YamlNode | undefined): string | undefined {
  return node ? source.slice(node.start, node.end) : undefined;
}

describe('merge keys', () => {
  it('bring keys into the map, pointing at the anchor text; written keys and earlier sources win', () => {
    const source = 'a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<: [*a, *b]\n  x: 9\n';
    const { root } = parseDocumentChunk(source);
    expect(textOf(source, nodeAtPath(root, ['c', 'x']))).toBe('9');
    expect(nodeAtPath(root, ['c', 'y'])!.start).toBe(source.indexOf('2}'));
    expect(nodeAtPath(root, ['c', 'z'])!.start).toBe(source.indexOf('4}'));
    expect(toValue(root).value).toEqual({ a: { x: 1, y: 2 }, b: { y: 3, z: 4 }, c: { x: 9, y: 2, z: 4 } });
  });

  it('resolve a merge whose anchor is written in place', () => {
    const source = 'values: {<<: &base {tunnel: vxlan, kubeProxyReplacement: strict}}\n';
    const { root } = parseDocumentChunk(source);
    expect(textOf(source, nodeAtPath(root, ['values', 'tunnel']))).toBe('vxlan');
    expect(textOf(source, nodeAtPath(root, ['values', 'kubeProxyReplacement']))).toBe('strict');
  });

  it('stop adding pairs past the bound, and the plain value reports the bomb', () => {
    const base = Array.from({ length: 1000 }, (_, index) => `k${index}: 1`).join(', ');
    const users = Array.from({ length: 300 }, (_, index) => `u${index}: {<<: *base}`).join('\n');
    const source = `base: &base {${base}}\n${users}\n`;
    const { root } = parseDocumentChunk(source);
    const countPairs = (node: YamlNode | undefined): number =>
      node?.type === 'map' ? node.pairs.filter((pair) => pair.merged).length + node.pairs.reduce((sum, pair) => sum + countPairs(pair.value), 0) : 0;
    expect(countPairs(root)).toBe(MAX_MERGED_PAIRS);
    expect(toValue(root).exceeded).toBe(true);
  });
});

describe('unknown until render', () => {
  it('knows every Flux substitution form and template actions, not the $${} escape', () => {
    for (const text of ['${VAR}', 'x-${VAR:=8080}', '${VAR:-default}/path', '{{ .Values.port }}']) expect(textUnknownUntilRender(text), text).toBe(true);
    for (const text of ['8080', '$${LITERAL}', '$VAR', '/api/{id}', '']) expect(textUnknownUntilRender(text), text).toBe(false);
  });

  it('reads a bare template action that YAML parsed as a flow map', () => {
    const source = 'port: {{ .Values.port }}\n';
    const { root } = parseDocumentChunk(source);
    expect(nodeUnknownUntilRender(nodeAtPath(root, ['port']), source)).toBe(true);
    expect(nodeUnknownUntilRender(nodeAtPath(root, ['port']))).toBe(false);
  });

  it('looks into nested plain values', () => {
    expect(valueUnknownUntilRender({ a: [{ b: '${X}' }] })).toBe(true);
    expect(valueUnknownUntilRender({ a: [{ b: '${X}' }] }, false)).toBe(false);
    expect(valueUnknownUntilRender({ a: [1, 'x'] })).toBe(false);
  });
});

describe('Go templates', () => {
  it('by path: chart templates and .tpl files', () => {
    expect(isTemplatePath('charts/app/templates/policy.yaml')).toBe(true);
    expect(isTemplatePath('charts/app/_helpers.tpl')).toBe(true);
    expect(isTemplatePath('clusters/prod/policy.yaml')).toBe(false);
  });

  it('by structure: actions in plain text, not in comments, quoted strings or block scalars', () => {
    expect(documentShowsGoTemplating('{{- if .Values.x }}\na: 1\n')).toBe(true);
    expect(documentShowsGoTemplating('name: {{ .Release.Name }}\n')).toBe(true);
    expect(documentShowsGoTemplating('- "{{ f .X "." }}"\n')).toBe(true);
    expect(documentShowsGoTemplating('# {{ note }}\na: [1\n')).toBe(false);
    expect(documentShowsGoTemplating('a: "{{ .X }}"\nb: x # {{ y }}\n')).toBe(false);
    expect(documentShowsGoTemplating('script: |\n  {{- range .Items }}\n  - {{ . }}\n  {{- end }}\nb: [1\n')).toBe(false);
  });
});

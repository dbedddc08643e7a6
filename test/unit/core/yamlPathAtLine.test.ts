/** The indentation-based key path at a cursor (`$0`), used by completion on broken YAML. */

import { describe, expect, it } from 'vitest';
import { yamlPathAtLine } from '../../../core/src/features/yamlPathAtLine';
import { LineIndex } from '../../../core/src/text/lineIndex';

function at(source: string) {
  const offset = source.indexOf('$0');
  const text = source.replace('$0', '');
  return yamlPathAtLine(text, new LineIndex(text), offset);
}

describe('yamlPathAtLine', () => {
  const cases: [string, string, (string | number)[], string, string[]?][] = [
    ['top-level key', 'apiVersion: v1\n$0', [], 'key', ['apiVersion']],
    ['nested map', 'spec:\n  values:\n    hubble:\n      $0', ['spec', 'values', 'hubble'], 'key'],
    ['sibling keys are listed', 'spec:\n  a: 1\n  $0\n', ['spec'], 'key', ['a']],
    ['inside a list item mapping', 'spec:\n  ingress:\n    - fromEndpoints:\n        - {}\n      $0', ['spec', 'ingress', 0], 'key', ['fromEndpoints']],
    ['on a new list item', 'spec:\n  ingress:\n    - fromEndpoints: []\n    - $0', ['spec', 'ingress', 0], 'key', []],
    ['value position', 'spec:\n  action: $0', ['spec'], 'value'],
    ['deep list of lists', 'spec:\n  egress:\n    - toPorts:\n        - ports:\n            - port: "53"\n              $0', ['spec', 'egress', 0, 'toPorts', 0, 'ports', 0], 'key', ['port']],
    ['ignores comments and blank lines', 'spec:\n  # comment\n\n  values:\n    $0', ['spec', 'values'], 'key'],
    ['keys with a colon inside', 'spec:\n  endpointSelector:\n    matchLabels:\n      k8s:io.kubernetes.pod.namespace: shop\n      $0', ['spec', 'endpointSelector', 'matchLabels'], 'key', ['k8s:io.kubernetes.pod.namespace']],
    ['value of a key with a colon', 'spec:\n  matchLabels:\n    k8s:app: $0', ['spec', 'matchLabels'], 'value'],
    ['works when the document is broken', 'spec:\n  a: [\n  values:\n    $0', ['spec', 'values'], 'key'],
    ['siblings below the cursor count, nested keys and other maps do not', 'spec:\n  a: 1\n  $0\n  b:\n    c: 2\n  d:\n  - e: 1\nother:\n  f: 1\n', ['spec'], 'key', ['a', 'b', 'd']],
    ['a new list item does not take keys of the next item', 'spec:\n  ingress:\n    - $0\n    - fromEndpoints: []\n', ['spec', 'ingress', 0], 'key', []],
    ['keys of the same list item below the cursor', 'spec:\n  ingress:\n    - $0\n      toPorts: []\n', ['spec', 'ingress', 0], 'key', ['toPorts']],
  ];
  for (const [name, source, path, position, siblings] of cases) {
    it(name, () => {
      const result = at(source);
      expect(result.parentPath).toEqual(path);
      expect(result.position).toBe(position);
      if (siblings) expect(result.siblingKeys).toEqual(siblings);
    });
  }
});

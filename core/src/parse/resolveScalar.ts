/**
 * Resolves a plain scalar the way Kubernetes tooling does. `sigs.k8s.io/yaml`
 * (used by kubectl, Helm and Flux) converts YAML with go-yaml's YAML 1.1 rules,
 * so `yes`/`on` are booleans and `0777` is octal there. Quoted and block
 * scalars are always strings.
 */

const TRUE_WORDS = new Set(['true', 'True', 'TRUE', 'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);
const DECIMAL_INT = /^[-+]?(0|[1-9][0-9_]*)$/;
const OCTAL_LEGACY = /^[-+]?0[0-7_]+$/;
const OCTAL = /^0o[0-7]+$/;
const HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/;

export function resolvePlainScalar(text: string): string | number | boolean | null {
  if (NULL_WORDS.has(text)) return null;
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  const first = text.charCodeAt(0);
  const looksNumeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  if (!looksNumeric) return text;
  if (DECIMAL_INT.test(text)) return Number(text.replace(/_/g, ''));
  if (HEX.test(text)) {
    const negative = text.startsWith('-');
    const value = parseInt(text.replace(/^[-+]?0x/, '').replace(/_/g, ''), 16);
    return negative ? -value : value;
  }
  if (OCTAL.test(text)) return parseInt(text.slice(2), 8);
  if (OCTAL_LEGACY.test(text)) {
    const negative = text.startsWith('-');
    const value = parseInt(text.replace(/^[-+]?0/, '').replace(/_/g, ''), 8);
    return negative ? -value : value;
  }
  if (FLOAT.test(text) && /[0-9]/.test(text)) return Number(text.replace(/_/g, ''));
  if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(text)) return NaN;
  return text;
}

/** Applies an explicit core tag (`!!str`, `!!int`, …) to a scalar's text. */
export function resolveTaggedScalar(tag: string, text: string): string | number | boolean | null {
  switch (tag) {
    case '!!str':
    case 'tag:yaml.org,2002:str':
      return text;
    case '!!int':
    case '!!float':
    case 'tag:yaml.org,2002:int':
    case 'tag:yaml.org,2002:float': {
      const value = resolvePlainScalar(text);
      return typeof value === 'number' ? value : text;
    }
    case '!!bool':
    case 'tag:yaml.org,2002:bool': {
      const value = resolvePlainScalar(text);
      return typeof value === 'boolean' ? value : text;
    }
    case '!!null':
    case 'tag:yaml.org,2002:null':
      return null;
    default:
      return resolvePlainScalar(text);
  }
}

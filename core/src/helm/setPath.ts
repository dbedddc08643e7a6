/**
 * Helm `--set` notation as Flux uses it for `valuesFrom[].targetPath`: a
 * dotted path (`\.` escapes a dot, `name[2]` indexes a list) and the type
 * inference of `--set` (true/false, integers and null are typed, the rest is
 * a string; surrounding double quotes force a string).
 *
 * Invariant: returns undefined for a path it cannot read rather than
 * guessing; nothing throws.
 */

export type SetPathSegment = string | number;

export function parseSetPath(path: string): SetPathSegment[] | undefined {
  if (typeof path !== 'string' || path.trim() === '') return undefined;
  const segments: SetPathSegment[] = [];
  let current = '';
  let index = 0;
  const flush = () => {
    if (current === '') return false;
    segments.push(current);
    current = '';
    return true;
  };
  while (index < path.length) {
    const char = path[index];
    if (char === '\\' && index + 1 < path.length) {
      current += path[index + 1];
      index += 2;
      continue;
    }
    if (char === '.') {
      // `a..b` and a leading dot are malformed; `a[0].b` is fine.
      if (!flush() && typeof segments[segments.length - 1] !== 'number') return undefined;
      index++;
      continue;
    }
    if (char === '[') {
      const close = path.indexOf(']', index);
      if (close === -1) return undefined;
      const number = Number(path.slice(index + 1, close));
      if (!Number.isInteger(number) || number < 0) return undefined;
      flush();
      if (segments.length === 0) return undefined;
      segments.push(number);
      index = close + 1;
      continue;
    }
    current += char;
    index++;
  }
  flush();
  return segments.length > 0 ? segments : undefined;
}

/** The value `--set` gives a raw string. */
export function inferSetValue(raw: string): unknown {
  const text = raw;
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(text)) {
    const number = Number(text);
    if (Number.isSafeInteger(number)) return number;
  }
  return text;
}

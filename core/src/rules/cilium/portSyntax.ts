/**
 * How the agent reads a `port` string: an IANA service name (1–15 letters,
 * digits and single inner hyphens, at least one letter; lower-cased), else an
 * unsigned 16-bit number parsed with Go's base prefix rules (so `010` is 8
 * and `080` is invalid — leading 0 means octal).
 */

export type ParsedPort = { kind: 'name'; name: string } | { kind: 'number'; value: number } | { kind: 'invalid'; reason: string };

export function isServiceName(text: string): boolean {
  if (text.length < 1 || text.length > 15) return false;
  if (!/^[A-Za-z0-9-]+$/.test(text) || !/[A-Za-z]/.test(text)) return false;
  return !text.startsWith('-') && !text.endsWith('-') && !text.includes('--');
}

export function parsePort(text: string): ParsedPort {
  if (isServiceName(text)) return { kind: 'name', name: text.toLowerCase() };
  // Only digit strings reach the number parser (anything with a letter is a name or invalid);
  // Go's base-0 syntax allows single underscores between digits.
  if (!/^[0-9]+(_[0-9]+)*$/.test(text)) return { kind: 'invalid', reason: 'neither a number nor a service name of letters, digits and single hyphens, at most 15 long' };
  const digits = text.replace(/_/g, '');
  let value: number;
  if (digits.length > 1 && digits.startsWith('0')) {
    if (!/^[0-7]+$/.test(digits)) return { kind: 'invalid', reason: 'a leading 0 means octal, which has no digits 8 or 9' };
    value = parseInt(digits, 8);
  } else {
    value = Number(digits);
  }
  if (value > 65535) return { kind: 'invalid', reason: 'larger than 65535' };
  return { kind: 'number', value };
}

/** The numeric value, or undefined for names and invalid text. */
export function parsePortNumber(text: string): number | undefined {
  const parsed = parsePort(text);
  return parsed.kind === 'number' ? parsed.value : undefined;
}

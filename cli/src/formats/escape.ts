/**
 * Terminal-safe text: control characters that come from users' files (keys,
 * values, paths quoted in messages) are shown escaped, so a file cannot move
 * the cursor, clear the screen, recolour output or forge lines.
 *
 * Escaped: C0 controls (ESC, BEL, backspace, carriage return, …) except a tab,
 * DEL, C1 controls, and the bidirectional overrides/isolates; line breaks too,
 * unless the caller prints multi-line text (a diff), where a line break (with
 * its carriage return, for CRLF files) stays one.
 *
 * Invariant: pure; JSON and SARIF output do not use this (JSON escaping
 * already covers control characters).
 */

const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(character: string): string {
  const code = character.charCodeAt(0);
  if (character === '\n') return '\\n';
  if (character === '\r') return '\\r';
  if (character === '\u001b') return '\\e';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function escapeControl(text: string, keepLineBreaks = false): string {
  if (!keepLineBreaks) return text.replace(CONTROL, escapeOne);
  return text
    .split(/(\r?\n)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(CONTROL, escapeOne)))
    .join('');
}

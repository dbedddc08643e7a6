/**
 * Size of a string as UTF-8 bytes (what a file on disk holds), without
 * encoding it: size limits are stated in bytes, and a string's `length`
 * counts UTF-16 units (up to 3× fewer than bytes).
 *
 * Invariant: equals `Buffer.byteLength(text, 'utf8')` for every string; a lone
 * surrogate counts as the 3 bytes of the U+FFFD it is encoded as.
 */

/** Any UTF-16 unit outside ASCII. */
const NON_ASCII = /[^\u0000-\u007f]/;

export function utf8ByteLength(text: string): number {
  // ASCII only (most manifests): one byte per unit; the regex scan is native and much faster than the loop.
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index++;
    } else bytes += 3;
  }
  return bytes;
}

/** Is the text longer than `maxBytes` in UTF-8? Counts only when the UTF-16 length leaves it open. */
export function exceedsUtf8Bytes(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true;
  if (text.length * 3 <= maxBytes) return false;
  return utf8ByteLength(text) > maxBytes;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

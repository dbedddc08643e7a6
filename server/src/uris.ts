/**
 * Converts between LSP document URIs and the core's file keys. A `file:` URI
 * becomes its decoded absolute path with `/` separators (Windows drive
 * letters lose the leading slash); any other scheme (`untitled:`) keeps the
 * URI itself as its key.
 */

export function uriToKey(uri: string): string {
  if (!uri.startsWith('file://')) return uri;
  let path = uri.slice('file://'.length);
  const slash = path.indexOf('/');
  path = slash === -1 ? '/' : path.slice(slash); // drop an authority, if any
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep the raw path when it is not valid percent-encoding
  }
  if (/^\/[a-zA-Z]:/.test(path)) path = path.slice(1);
  return path;
}

export function keyToUri(key: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(key) && !/^[a-zA-Z]:[\\/]/.test(key)) return key;
  const path = key.startsWith('/') ? key : `/${key}`;
  return 'file://' + path.split('/').map((segment) => encodeURIComponent(segment).replace(/%3A/g, ':')).join('/');
}

/**
 * Converts between LSP document URIs and the core's file keys. A `file:` URI
 * becomes its decoded absolute path with `/` separators (Windows drive
 * letters lose the leading slash); any other scheme (`untitled:`) keeps the
 * URI itself as its key. The browser server installs its own mapping for
 * the URIs of a web workspace (`installUriMapping`, see `browserPlatform.ts`).
 */

/** A platform's own mapping (the browser's, for `vscode-vfs:`/`vscode-remote:` folders); none on Node. */
let installed: { uriToKey(uri: string): string; keyToUri(key: string): string } | undefined;

/** Makes every `uriToKey`/`keyToUri` of the server use this mapping (done once, by the browser entry). */
export function installUriMapping(mapping: { uriToKey(uri: string): string; keyToUri(key: string): string }): void {
  installed = mapping;
}

export function uriToKey(uri: string): string {
  return installed ? installed.uriToKey(uri) : fileUriToKey(uri);
}

export function keyToUri(key: string): string {
  return installed ? installed.keyToUri(key) : fileKeyToUri(key);
}

/** The Node mapping: `file:` URIs to paths, any other URI kept as its own key. */
export function fileUriToKey(uri: string): string {
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

export function fileKeyToUri(key: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(key) && !/^[a-zA-Z]:[\\/]/.test(key)) return key;
  const path = key.startsWith('/') ? key : `/${key}`;
  return 'file://' + path.split('/').map((segment) => encodeURIComponent(segment).replace(/%3A/g, ':')).join('/');
}

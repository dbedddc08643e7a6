/**
 * Test support for chart downloads: a tiny tar writer (ustar headers, any
 * entry type, so hostile archives can be made), a chart archive builder, and a
 * Helm chart repository served over HTTPS on 127.0.0.1 (loopback only) that
 * counts every request and can be told to misbehave (wrong digest, no digest,
 * slow answers, chunked bodies, redirects, never answering). Its certificate
 * is made per test run with `openssl` (tests skip without it: `HAS_OPENSSL`);
 * clients trust it through `ca`/`caPath` and reach it only with private
 * networks allowed.
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const HAS_OPENSSL = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
export const OPENSSL_MISSING = 'skipped: openssl is not on PATH (needed to make the test HTTPS certificate)';

let certificate: { key: string; cert: string; caPath: string } | undefined;

/** A self-signed certificate for 127.0.0.1 and localhost, made once per test process. */
export function testCertificate(): { key: string; cert: string; caPath: string } {
  if (certificate) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'meshlens-tls-'));
  const keyPath = join(dir, 'key.pem');
  const caPath = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', caPath, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  if (!existsSync(caPath)) throw new Error('openssl did not write the test certificate');
  certificate = { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(caPath, 'utf8'), caPath };
  return certificate;
}

export interface TarEntry {
  name: string;
  body?: string | Buffer;
  /** '0' file (default), '2' symlink, '5' folder, … */
  type?: string;
  linkName?: string;
}

/** A tar stream (ustar) holding the entries, with the two zero blocks at the end. */
export function tar(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = typeof entry.body === 'string' ? Buffer.from(entry.body, 'utf8') : entry.body ?? Buffer.alloc(0);
    const header = Buffer.alloc(512);
    header.write(entry.name, 0, 100, 'utf8');
    header.write('0000644\0', 100, 'ascii');
    header.write('0000000\0', 108, 'ascii');
    header.write('0000000\0', 116, 'ascii');
    header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
    header.write('00000000000\0', 136, 'ascii');
    header.write('        ', 148, 'ascii');
    header.write(entry.type ?? '0', 156, 'ascii');
    if (entry.linkName) header.write(entry.linkName, 157, 100, 'utf8');
    header.write('ustar\0', 257, 'ascii');
    header.write('00', 263, 'ascii');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export const podinfoValuesYaml = `# -- Number of pods to run
replicaCount: 1
image:
  # -- Image repository
  repository: ghcr.io/example/podinfo
  tag: ""
  pullPolicy: IfNotPresent
service:
  type: ClusterIP
podAnnotations: {}
`;

export const podinfoSchema = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    replicaCount: { type: 'integer', minimum: 0 },
    image: {
      type: 'object',
      properties: { repository: { type: 'string' }, tag: { type: 'string' }, pullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] } },
    },
    service: { type: 'object', properties: { type: { type: 'string' } } },
  },
});

/** A chart archive as `helm package` lays it out: `<chart>/Chart.yaml`, values, schema, templates, a subchart. */
export function chartArchive(chart: string, version: string, extra: TarEntry[] = []): Buffer {
  return gzipSync(
    tar([
      { name: `${chart}/`, type: '5' },
      { name: `${chart}/Chart.yaml`, body: `apiVersion: v2\nname: ${chart}\nversion: ${version}\n` },
      { name: `${chart}/values.yaml`, body: podinfoValuesYaml },
      { name: `${chart}/values.schema.json`, body: podinfoSchema },
      { name: `${chart}/templates/deployment.yaml`, body: 'kind: Deployment\n' },
      // A subchart's values must not be taken for the chart's own.
      { name: `${chart}/charts/sub/values.yaml`, body: 'other: true\n' },
      ...extra,
    ]),
  );
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface ServedChart {
  version: string;
  archive: Buffer;
  /** Digest written in index.yaml: the real one by default; `null` leaves it out. */
  digest?: string | null;
  /** Archive URL in the index (default: relative `<chart>-<version>.tgz`). */
  url?: string;
}

export interface RepositoryBehaviour {
  /** Milliseconds before answering any request. */
  delayMs?: number;
  /** Send bodies chunked (no Content-Length), to exercise the streaming size check. */
  chunked?: boolean;
  /** Path → Location header: answer 302 there. */
  redirects?: Record<string, string>;
  /** Accept connections and requests but never answer. */
  silent?: boolean;
}

export interface ChartRepositoryServer {
  url: string;
  /** The PEM certificate to trust, and its file (for NODE_EXTRA_CA_CERTS). */
  ca: string;
  caPath: string;
  requests: string[];
  behaviour: RepositoryBehaviour;
  close(): Promise<void>;
}

/** Serves `index.yaml` and the archives of the given charts on 127.0.0.1 at a free port. */
export async function startChartRepository(charts: Record<string, ServedChart[]>, behaviour: RepositoryBehaviour = {}): Promise<ChartRepositoryServer> {
  const requests: string[] = [];
  const files = new Map<string, Buffer>();
  let index = 'apiVersion: v1\nentries:\n';
  for (const [chart, versions] of Object.entries(charts)) {
    index += `  ${chart}:\n`;
    for (const served of versions) {
      const file = `${chart}-${served.version}.tgz`;
      files.set(`/${file}`, served.archive);
      const digest = served.digest === undefined ? sha256(served.archive) : served.digest;
      index += `    - apiVersion: v2\n      name: ${chart}\n      version: ${served.version}\n`;
      if (digest !== null) index += `      digest: ${digest}\n`;
      index += `      urls:\n        - ${served.url ?? file}\n`;
    }
  }
  files.set('/index.yaml', Buffer.from(index, 'utf8'));
  const tls = testCertificate();
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (request: IncomingMessage, response: ServerResponse) => {
    requests.push(`${request.method} ${request.url} ${request.headers['user-agent'] ?? ''}`);
    if (behaviour.silent) return;
    const answer = () => {
      const path = (request.url ?? '/').split('?')[0];
      const redirect = behaviour.redirects?.[path];
      if (redirect) {
        response.writeHead(302, { Location: redirect });
        response.end();
        return;
      }
      const body = files.get(path);
      if (!body) {
        response.writeHead(404);
        response.end();
        return;
      }
      if (behaviour.chunked) {
        response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        for (let offset = 0; offset < body.length; offset += 4096) response.write(body.subarray(offset, offset + 4096));
        response.end();
      } else {
        response.writeHead(200, { 'Content-Length': body.length });
        response.end(body);
      }
    };
    if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: tls.cert,
    caPath: tls.caPath,
    requests,
    behaviour,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Flux manifests: a HelmRepository at `url` and a HelmRelease of `chart` with the given values block. */
export function fluxManifests(url: string, chart: string, version: string | undefined, values: string): { repository: string; release: string } {
  return {
    repository: `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: flux-system
spec:
  interval: 1h
  url: ${url}
`,
    release: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${chart}
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ${chart}
${version ? `      version: "${version}"\n` : ''}      sourceRef:
        kind: HelmRepository
        name: charts
        namespace: flux-system
  values:
${values}`,
  };
}

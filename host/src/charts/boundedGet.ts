/**
 * One GET request for a chart repository file, with every limit the chart
 * download promises:
 * - HTTPS only, for every URL (the repository's, an index's archive URLs,
 *   redirect targets), with TLS verification never turned off (a host may add
 *   CA certificates);
 * - no connection to loopback, private, link-local or unspecified addresses,
 *   literal or after DNS resolution (`addressPolicy`), unless the machine
 *   setting allows private networks;
 * - redirects followed a few times, each target checked by the same rules;
 * - a connect timeout and a total timeout (headers and body);
 * - a size cap checked against `Content-Length` and again while streaming;
 * - nothing sent but the request line, `Host`, a fixed `User-Agent` and
 *   `Accept`: no cookies, no credentials, no user data;
 * - stopped at once when the caller's signal aborts (the run's time budget).
 *
 * Never throws: a failure is `{ ok: false, reason }`, phrased for a hover.
 * Reasons name the host and what was fetched (`index.yaml`, `the archive`)
 * but never echo response data (paths from an index, headers, bodies, server
 * error texts).
 */

import * as https from 'node:https';
import * as tls from 'node:tls';
import { guardedLookup, isRefusedHostname, PRIVATE_ADDRESS_REFUSED } from './addressPolicy';
import { mib } from './tarReader';

export interface GetLimits {
  maxBytes: number;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  /** Lift the loopback/private address refusal (machine setting; tests). */
  allowPrivateNetworks?: boolean;
  /** Extra CA certificates (PEM) trusted besides Node's own. */
  ca?: string;
  /** Aborts the request (the run's overall time budget ran out). */
  signal?: AbortSignal;
  /** What is fetched, for messages (`index.yaml`, `the archive`). */
  what?: string;
}

/** `transient`: a timeout, connection error or server error that may pass; otherwise (policy, size, 4xx) a retry would fail the same way. */
export type GetResult = { ok: true; body: Buffer; url: string } | { ok: false; reason: string; transient: boolean };

const MAX_REDIRECTS = 3;

export const BUDGET_SPENT = 'stopped: the overall time budget for chart downloads ran out';

/** Why meshlens will not request this URL, or undefined when it may. */
export function urlRefusal(url: string, allowPrivateNetworks = false): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the URL is not valid';
  }
  if (parsed.username || parsed.password) return 'URLs with credentials are not requested';
  if (parsed.protocol === 'oci:') return 'downloading charts from OCI registries is not supported';
  if (parsed.protocol !== 'https:') return 'only https URLs are used for downloads';
  if (!allowPrivateNetworks && isRefusedHostname(parsed.hostname)) return PRIVATE_ADDRESS_REFUSED;
  return undefined;
}

export async function boundedGet(url: string, limits: GetLimits, userAgent: string): Promise<GetResult> {
  const deadline = Date.now() + limits.totalTimeoutMs;
  const what = limits.what ?? 'the file';
  let current = url;
  for (let redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
    const refusal = urlRefusal(current, limits.allowPrivateNetworks);
    if (refusal) {
      const reason = redirects === 0 ? refusal : `${hostOf(url)} redirected ${what} to a URL that is refused (${refusal})`;
      return { ok: false, reason, transient: false };
    }
    if (limits.signal?.aborted) return { ok: false, reason: BUDGET_SPENT, transient: true };
    const answer = await getOnce(current, limits, userAgent, deadline);
    if (answer.kind === 'done') return answer.result;
    let next: URL;
    try {
      next = new URL(answer.location, current);
    } catch {
      return { ok: false, reason: `${hostOf(url)} redirected ${what} to an invalid URL`, transient: false };
    }
    current = next.toString();
  }
  return { ok: false, reason: `more than ${MAX_REDIRECTS} redirects from ${hostOf(url)}`, transient: false };
}

type Answer = { kind: 'done'; result: GetResult } | { kind: 'redirect'; location: string };

function getOnce(url: string, limits: GetLimits, userAgent: string, deadline: number): Promise<Answer> {
  return new Promise<Answer>((resolve) => {
    const target = new URL(url);
    const host = target.host;
    const what = limits.what ?? 'the file';
    let settled = false;
    const finish = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
      limits.signal?.removeEventListener('abort', onAbort);
      resolve(answer);
    };
    const fail = (reason: string, transient = true) => finish({ kind: 'done', result: { ok: false, reason, transient } });
    const requestOptions: https.RequestOptions = {
      method: 'GET',
      headers: { 'User-Agent': userAgent, Accept: '*/*' },
      // A fresh connection per request: no shared agent state, nothing kept alive.
      agent: false,
      // Certificates are always verified, whatever NODE_TLS_REJECT_UNAUTHORIZED says.
      rejectUnauthorized: true,
      ...(limits.ca ? { ca: [...tls.rootCertificates, limits.ca] } : {}),
      // Every resolved address is checked before connecting (literal addresses were checked by urlRefusal).
      lookup: guardedLookup(limits.allowPrivateNetworks === true) as unknown as https.RequestOptions['lookup'],
    };
    const request = https.request(target, requestOptions);
    const onAbort = () => {
      fail(BUDGET_SPENT);
      request.destroy();
    };
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    const connectTimer = setTimeout(() => {
      fail(`could not connect to ${host} within ${seconds(limits.connectTimeoutMs)}`);
      request.destroy();
    }, Math.min(limits.connectTimeoutMs, Math.max(0, deadline - Date.now())));
    const totalTimer = setTimeout(() => {
      fail(`${host} did not answer completely within ${seconds(limits.totalTimeoutMs)}`);
      request.destroy();
    }, Math.max(0, deadline - Date.now()));
    request.on('socket', (socket) => {
      socket.once('secureConnect', () => clearTimeout(connectTimer));
    });
    request.on('error', (error) => fail(requestFailure(host, what, error), !isPolicyError(error)));
    request.on('response', (response) => {
      clearTimeout(connectTimer);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        request.destroy();
        finish({ kind: 'redirect', location: response.headers.location });
        return;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        request.destroy();
        fail(`${host} answered HTTP ${status} for ${what}`, status >= 500 || status === 429 || status === 408);
        return;
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        request.destroy();
        fail(`${what} is larger than ${mib(limits.maxBytes)}; not downloaded`, false);
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > limits.maxBytes) {
          fail(`${what} is larger than ${mib(limits.maxBytes)}; download stopped`, false);
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => finish({ kind: 'done', result: { ok: true, body: Buffer.concat(chunks), url } }));
      response.on('error', (error) => fail(requestFailure(host, what, error)));
      response.on('aborted', () => fail(`download from ${host} was cut off`));
    });
    request.end();
  });
}

/** A failed request, by error code only: error texts can carry certificate names or server data. */
function requestFailure(host: string, what: string, error: Error): string {
  if (isPolicyError(error)) return PRIVATE_ADDRESS_REFUSED;
  const code = (error as { code?: unknown }).code;
  return `request to ${host} for ${what} failed${typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? ` (${code})` : ''}`;
}

function isPolicyError(error: Error): boolean {
  return (error as { code?: unknown }).code === 'EMESHLENSPRIVATE';
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

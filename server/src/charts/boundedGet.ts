/**
 * One GET request for a chart repository file, with every limit the chart
 * download promises:
 * - HTTPS only, with Node's default TLS verification (never turned off);
 *   plain `http://` only to a loopback address (tests run a local server);
 * - redirects followed a few times, each target checked by the same rule
 *   (and never from https down to http);
 * - a connect timeout and a total timeout (headers and body);
 * - a size cap checked against `Content-Length` and again while streaming;
 * - nothing sent but the request line, `Host`, a fixed `User-Agent` and
 *   `Accept`: no cookies, no credentials, no user data.
 *
 * Never throws: a failure is `{ ok: false, reason }`, phrased for a hover.
 */

import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { mib } from './tarReader';

export interface GetLimits {
  maxBytes: number;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
}

/** `transient`: a timeout, connection error or server error that may pass; otherwise (policy, size, 4xx) a retry would fail the same way. */
export type GetResult = { ok: true; body: Buffer; url: string } | { ok: false; reason: string; transient: boolean };

const MAX_REDIRECTS = 3;

/** Why meshlens will not request this URL, or undefined when it may. */
export function urlRefusal(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (parsed.username || parsed.password) return 'URLs with credentials are not requested';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:') return isLoopbackHost(parsed.hostname) ? undefined : 'plain http is not used for downloads (https only)';
  if (parsed.protocol === 'oci:') return 'downloading charts from OCI registries is not supported';
  return `${parsed.protocol.replace(/:$/, '')} URLs are not supported`;
}

/** 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

export async function boundedGet(url: string, limits: GetLimits, userAgent: string): Promise<GetResult> {
  const deadline = Date.now() + limits.totalTimeoutMs;
  let current = url;
  for (let redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
    const refusal = urlRefusal(current);
    if (refusal) return { ok: false, reason: refusal, transient: false };
    const answer = await getOnce(current, limits, userAgent, deadline);
    if (answer.kind === 'done') return answer.result;
    const next = new URL(answer.location, current);
    if (new URL(current).protocol === 'https:' && next.protocol !== 'https:') return { ok: false, reason: `${hostOf(current)} redirected to a non-https URL; not followed`, transient: false };
    current = next.toString();
  }
  return { ok: false, reason: `more than ${MAX_REDIRECTS} redirects from ${hostOf(url)}`, transient: false };
}

type Answer = { kind: 'done'; result: GetResult } | { kind: 'redirect'; location: string };

function getOnce(url: string, limits: GetLimits, userAgent: string, deadline: number): Promise<Answer> {
  return new Promise<Answer>((resolve) => {
    const target = new URL(url);
    const host = target.host;
    let settled = false;
    const finish = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(totalTimer);
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
    };
    const request = target.protocol === 'https:' ? https.request(target, requestOptions) : http.request(target, requestOptions);
    const connectTimer = setTimeout(() => {
      fail(`could not connect to ${host} within ${seconds(limits.connectTimeoutMs)}`);
      request.destroy();
    }, Math.min(limits.connectTimeoutMs, Math.max(0, deadline - Date.now())));
    const totalTimer = setTimeout(() => {
      fail(`${host} did not answer completely within ${seconds(limits.totalTimeoutMs)}`);
      request.destroy();
    }, Math.max(0, deadline - Date.now()));
    request.on('socket', (socket) => {
      socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    request.on('error', (error) => fail(`request to ${host} failed: ${describeError(error)}`));
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
        fail(`${host} answered HTTP ${status} for ${target.pathname}`, status >= 500 || status === 429 || status === 408);
        return;
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        request.destroy();
        fail(`${target.pathname} is larger than ${mib(limits.maxBytes)}; not downloaded`, false);
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > limits.maxBytes) {
          fail(`${target.pathname} is larger than ${mib(limits.maxBytes)}; download stopped`, false);
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => finish({ kind: 'done', result: { ok: true, body: Buffer.concat(chunks), url } }));
      response.on('error', (error) => fail(`download from ${host} failed: ${describeError(error)}`));
      response.on('aborted', () => fail(`download from ${host} was cut off`));
    });
    request.end();
  });
}

function describeError(error: Error): string {
  const code = (error as { code?: string }).code;
  return code ? `${code}${error.message && !error.message.includes(code) ? ` (${error.message})` : ''}` : error.message;
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

/**
 * The one way the core makes an Ajv instance: every error reported (not only
 * the first), unknown keywords tolerated (CRD and chart schemas carry
 * Kubernetes and Helm extensions), schemas not validated against their
 * meta-schema, and every `pattern` compiled for RE2 (`re2Pattern.cjs`, linear
 * time) so no schema or value can make the single-threaded server backtrack.
 * The validator generator (`scripts/gen-validators.mjs`) uses the same
 * options plus standalone code output.
 */

import Ajv from 'ajv';
import re2Pattern from './re2Pattern.cjs';

export const AJV_OPTIONS = { allErrors: true, strict: false, validateSchema: false, code: { regExp: re2Pattern } } as const;

/** A new Ajv instance with the shared options; `optimize: false` where schemas are compiled once and run a few times. */
export function createAjv(code: { optimize?: boolean | number } = {}): Ajv {
  return new Ajv({ ...AJV_OPTIONS, code: { ...AJV_OPTIONS.code, ...code } });
}

/**
 * Compiles the `values.schema.json` of a Helm chart (a chart folder in the
 * workspace or a downloaded chart) into an ajv validator.
 *
 * Invariant: every `pattern` / `patternProperties` regular expression of a
 * chart schema runs on RE2 (`re2Pattern.cjs`, linear time), exactly like CRD
 * schemas. A chart schema is input from outside the project; on JavaScript's
 * backtracking engine a pattern such as `^(a+)+$` takes exponential time on a
 * near-miss value and would freeze the single-threaded server. A pattern RE2
 * cannot compile (look-around, back-references) never reports.
 *
 * Validators are kept per schema text (bounded); a schema ajv refuses gives
 * `undefined` (no findings rather than a crash).
 */

import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv';

/** Schemas kept compiled; beyond this the cache starts over (charts in one workspace are few). */
const MAX_CACHED_SCHEMAS = 32;

const validators = new Map<string, ValidateFunction | null>();
let ajv: Ajv | undefined;

/** The ajv options of chart schemas: all errors, lenient about unknown keywords, RE2 patterns. */
/** The options chart schemas are compiled with (the core's shared Ajv options). */

export function chartSchemaValidator(schema: Record<string, unknown>): ValidateFunction | undefined {
  const key = JSON.stringify(schema);
  if (!validators.has(key)) {
    let compiled: ValidateFunction | null = null;
    try {
      ajv ??= createAjv();
      compiled = ajv.compile(schema);
    } catch {
      compiled = null;
    }
    if (validators.size >= MAX_CACHED_SCHEMAS) validators.clear();
    validators.set(key, compiled);
  }
  return validators.get(key) ?? undefined;
}

// Types of the generated standalone validators (validators.cjs and
// validators/*.cjs are written by scripts/gen-validators.mjs during
// `npm run build` and are not committed).
import type { ValidateFunction } from 'ajv';

/** Every `apiVersion/kind` with a precompiled validator. */
export declare const keys: readonly string[];
/** The validator of one `apiVersion/kind`, its module required on first call; undefined for other keys. */
export declare function load(key: string): ValidateFunction | undefined;

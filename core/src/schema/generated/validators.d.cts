// Types of the generated standalone validators (validators.cjs is written by
// scripts/gen-validators.mjs during `npm run build` and is not committed).
import type { ValidateFunction } from 'ajv';

declare const validators: Record<string, ValidateFunction>;
export = validators;

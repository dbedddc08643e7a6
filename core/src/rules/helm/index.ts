/** The helm family of rules; `rules/index.ts` includes this list. */

import type { Rule } from '../types';
import { chartSchema } from './chartSchema';
import { chartVersionAssumed } from './chartVersionAssumed';
import { incompatibleValues } from './incompatibleValues';
import { obsoleteValue } from './obsoleteValue';
import { unknownValueKey } from './unknownValueKey';
import { valueNotAllowed } from './valueNotAllowed';
import { valueType } from './valueType';
import { valuesSourceUnreadable } from './valuesSourceUnreadable';

export const HELM_RULES: readonly Rule[] = [
  unknownValueKey,
  valueType,
  valueNotAllowed,
  obsoleteValue,
  incompatibleValues,
  chartVersionAssumed,
  chartSchema,
  valuesSourceUnreadable,
];

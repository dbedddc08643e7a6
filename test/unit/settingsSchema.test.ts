/**
 * The `meshlens.rules` setting's JSON schema in package.json (written by
 * `npm run gen:docs` from the rule registry; `gen:docs --check` in `npm test`
 * fails when it is stale): VS Code completes and validates settings.json with
 * it, so it must name every rule id, accept `family/*`, reject misspelt ids
 * and unknown severities, and agree with what the server reads.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { ALL_RULES, type SeveritySetting } from '../../core/src/index';
import { optionsFromSettings } from '../../server/src/settings';
import { repoRoot } from '../support/repo';

interface SeveritySchema {
  enum: string[];
  markdownDescription?: string;
}
interface RulesSettingSchema {
  type: string;
  properties: Record<string, SeveritySchema>;
  patternProperties: Record<string, SeveritySchema>;
  additionalProperties: boolean;
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const schema = manifest.contributes.configuration.properties['meshlens.rules'] as RulesSettingSchema;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const ruleIds = ALL_RULES.map((rule) => rule.meta.id);
const families = [...new Set(ruleIds.map((id) => id.split('/')[0]))];

describe('meshlens.rules setting schema', () => {
  it('has one property per rule id, with its title and default severity', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...ruleIds].sort());
    for (const rule of ALL_RULES) {
      const property = schema.properties[rule.meta.id];
      expect(property.markdownDescription).toContain(rule.meta.title);
      expect(property.markdownDescription).toContain(`\`${rule.meta.severity}\``);
    }
  });

  it('accepts rule ids and family wildcards with every severity the server reads', () => {
    const severities = schema.properties[ruleIds[0]].enum;
    for (const severity of severities) {
      const setting: Record<string, SeveritySetting> = { [ruleIds[0]]: severity as SeveritySetting, [`${families[0]}/*`]: severity as SeveritySetting };
      expect(validate(setting), JSON.stringify(validate.errors)).toBe(true);
      // The server keeps exactly these values (it drops anything else silently).
      expect(optionsFromSettings({ rules: setting }).rules).toEqual(setting);
    }
    for (const family of families) expect(validate({ [`${family}/*`]: 'off' }), family).toBe(true);
  });

  it('rejects misspelt ids, unknown families and unknown severities', () => {
    expect(validate({ 'cnp/unknown-entiti': 'off' })).toBe(false);
    expect(validate({ 'nope/*': 'off' })).toBe(false);
    expect(validate({ [ruleIds[0]]: 'loud' })).toBe(false);
    expect(validate({ [`${families[0]}/*`]: 'loud' })).toBe(false);
    expect(optionsFromSettings({ rules: { [ruleIds[0]]: 'loud' as never } }).rules).toEqual({});
  });
});

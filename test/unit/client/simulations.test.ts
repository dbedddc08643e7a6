/**
 * The store behind simulation documents (`client/src/preview/simulations.ts`):
 * tab names from the request, the query kept for "Refresh", re-run answers
 * under the same path, and a bounded size.
 */

import { describe, expect, it } from 'vitest';
import { MAX_SIMULATIONS, Simulations, simulationTitle } from '../../../client/src/preview/simulations';

const query = { from: 'shop/web', to: 'shop/db', port: 5432, protocol: 'TCP' };

describe('simulation documents', () => {
  it('are named after the request, without path separators', () => {
    expect(simulationTitle(query)).toBe('shop.web → shop.db 5432');
    expect(simulationTitle({ ...query, method: 'GET', path: '/api/v1?x=1' })).toBe('shop.web → shop.db 5432 GET .api.v1?x=1');
    expect(simulationTitle({ ...query, path: 'x'.repeat(300) }).length).toBeLessThanOrEqual(120);
  });

  it('keep their query so a refresh asks the same question, and show the new answer under the same path', () => {
    const store = new Simulations();
    const first = store.add(query, '# ALLOW');
    const second = store.add({ ...query, port: 80 }, '# DENY');
    expect(first).toBe('/simulate/1/shop.web → shop.db 5432.md');
    expect(second).not.toBe(first);
    expect(store.query(first)).toEqual(query);
    expect(store.update(first, '# DENY now')).toBe(true);
    expect(store.markdown(first)).toBe('# DENY now');
    expect(store.markdown(second)).toBe('# DENY');
    expect(store.update('/shop/web.md', 'x')).toBe(false);
    expect(store.query('/shop/web.md')).toBeUndefined();
  });

  it('forget the oldest beyond the cap', () => {
    const store = new Simulations();
    const paths = Array.from({ length: MAX_SIMULATIONS + 2 }, (_, index) => store.add({ ...query, port: index + 1 }, `# ${index}`));
    expect(store.markdown(paths[0])).toBeUndefined();
    expect(store.markdown(paths[1])).toBeUndefined();
    expect(store.markdown(paths[2])).toBe('# 2');
    expect(store.markdown(paths.at(-1)!)).toBe(`# ${MAX_SIMULATIONS + 1}`);
  });
});

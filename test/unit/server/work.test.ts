/**
 * The server's sliced work (`server/src/work.ts`): work in steps stops with
 * RequestCancelled once the request's token is cancelled and with
 * ContentModified once its input changed, at the next step, and otherwise
 * returns what running the steps to the end returns. Steps are counted, not
 * timed.
 */

import { CancellationTokenSource, LSPErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { describe, expect, it } from 'vitest';
import { runInSlices, runStepsInSlices } from '../../../server/src/work';

/** Ten steps; `onStep(n)` runs before step n's work and records it. */
function* tenSteps(done: number[], onStep: (step: number) => void = () => undefined): Generator<void, string, void> {
  for (let step = 1; step <= 10; step++) {
    onStep(step);
    done.push(step);
    if (step < 10) yield;
  }
  return 'finished';
}

describe('runInSlices', () => {
  it('returns the result of every step', async () => {
    const done: number[] = [];
    expect(await runInSlices(tenSteps(done), new CancellationTokenSource().token)).toBe('finished');
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('stops with RequestCancelled at the step after the cancel', async () => {
    const source = new CancellationTokenSource();
    const done: number[] = [];
    const result = await runInSlices(tenSteps(done, (step) => step === 3 && source.cancel()), source.token);
    expect(result).toBeInstanceOf(ResponseError);
    expect((result as ResponseError<void>).code).toBe(LSPErrorCodes.RequestCancelled);
    expect(done).toEqual([1, 2, 3]);
  });

  it('stops with ContentModified when the input changed between steps', async () => {
    let edited = false;
    const done: number[] = [];
    const result = await runInSlices(tenSteps(done, (step) => step === 5 && (edited = true)), new CancellationTokenSource().token, () => !edited);
    expect((result as ResponseError<void>).code).toBe(LSPErrorCodes.ContentModified);
    expect(done).toEqual([1, 2, 3, 4, 5]);
  });

  it('does not start when cancelled before it runs', async () => {
    const source = new CancellationTokenSource();
    source.cancel();
    const done: number[] = [];
    expect(((await runInSlices(tenSteps(done), source.token)) as ResponseError<void>).code).toBe(LSPErrorCodes.RequestCancelled);
    expect(done).toEqual([]);
  });
});

describe('runStepsInSlices', () => {
  it('returns the value, or nothing when the input changed across a slice', async () => {
    const done: number[] = [];
    expect(await runStepsInSlices(tenSteps(done), () => true)).toEqual({ value: 'finished' });
    // Steps that each use up a slice: the change is seen at the first slice boundary after it.
    let edited = false;
    const busy = (step: number) => {
      const until = performance.now() + 10;
      while (performance.now() < until) {
        // use the slice
      }
      if (step === 2) edited = true;
    };
    const slow: number[] = [];
    expect(await runStepsInSlices(tenSteps(slow, busy), () => !edited)).toBeUndefined();
    expect(slow).toEqual([1, 2]);
  });
});

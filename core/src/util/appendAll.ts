/**
 * `target.push(...items)` passes every item as an argument, and V8 overflows
 * its stack past roughly a hundred thousand of them: a policy with that many
 * rules made whole rule families fail (and go silent). Appending in a loop has
 * no such limit; use it wherever the items grow with the input.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

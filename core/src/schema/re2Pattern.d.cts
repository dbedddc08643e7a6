declare function re2Pattern(pattern: string, flags?: string): { test(value: string): boolean };
declare namespace re2Pattern {
  const code: string;
}
export = re2Pattern;

const cache = new Map<string, RegExp>()

/** Rule regexes, compiled once. The loader has already checked that each one compiles. */
export function re(pattern: string): RegExp {
  let r = cache.get(pattern)
  if (!r) {
    r = new RegExp(pattern)
    cache.set(pattern, r)
  }
  return r
}

export function test(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true
  return value !== undefined && re(pattern).test(value)
}

/** The first capture group of a match (or the whole match when the pattern has no group). */
export function capture(pattern: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const m = re(pattern).exec(value)
  if (!m) return undefined
  return m[1] ?? m[0]
}

export interface GlobOptions {
  /** `[abc]` and `[!abc]` are classes (fnmatch, glob(3)); off, `[` is literal (OpenSSH's match_pattern). */
  brackets?: boolean
  /** A path segment: wildcards do not cross `/`, and a leading dot must be matched explicitly. */
  segment?: boolean
  ignoreCase?: boolean
}

/** A shell-style glob as an anchored RegExp: `*`, `?` and optionally `[…]`; everything else literal. */
export function globToRegExp(glob: string, options: GlobOptions = {}): RegExp {
  const {brackets = true, segment = false, ignoreCase = false} = options
  const any = segment ? '[^/]' : '.'
  let body = ''
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!
    const close = brackets && char === '[' ? glob.indexOf(']', i + 2) : -1
    if (char === '*') body += `${any}*`
    else if (char === '?') body += any
    else if (close > 0) {
      body += `[${glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`
      i = close
    } else body += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  const hiddenGuard = segment && !glob.startsWith('.') ? '(?!\\.)' : ''
  return new RegExp(`^${hiddenGuard}${body}$`, ignoreCase ? 'is' : 's')
}

import type {ParseContext} from './context.js'
import {int, note, parts} from './context.js'

/** `size-in-KiB<TAB>path` lines from du over candidate data directories (either order is read). */
export function parseDataPaths(lines: string[], ctx: ParseContext): Map<string, number | undefined> {
  const sizes = new Map<string, number | undefined>()
  for (const part of parts(lines, ctx)) {
    if (part.tag === 'DEADLINE') note(ctx, 'directory sizing stopped at its time limit: some data paths have no size')
    for (const line of part.lines) {
      if (line === 'no-timeout-command') note(ctx, 'the host has no `timeout` command: data paths were not sized')
      // du prints "size<TAB>path"; probe version 1 before its single-du change printed "path<TAB>size".
      const [a = '', b = ''] = line.split('\t')
      const [kb, path] = a.startsWith('/') ? [b, a] : [a, line.slice(a.length + 1)]
      if (!path.startsWith('/')) continue
      const size = int(kb)
      sizes.set(path, size === undefined ? undefined : size * 1024)
    }
  }
  return sizes
}

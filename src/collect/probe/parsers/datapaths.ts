import type {ParseContext} from './context.js'
import {int, note, parts} from './context.js'

/** `path<TAB>size-in-KiB` lines from du over candidate data directories. */
export function parseDataPaths(lines: string[], ctx: ParseContext): Map<string, number | undefined> {
  const sizes = new Map<string, number | undefined>()
  for (const part of parts(lines, ctx)) {
    if (part.tag === 'DEADLINE') note(ctx, 'directory sizing stopped at its time limit: some data paths have no size')
    for (const line of part.lines) {
      if (line === 'no-timeout-command') note(ctx, 'the host has no `timeout` command: data paths were not sized')
      const [path, kb] = line.split('\t')
      if (!path?.startsWith('/')) continue
      const size = int(kb)
      sizes.set(path, size === undefined ? undefined : size * 1024)
    }
  }
  return sizes
}

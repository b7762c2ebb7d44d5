import type {ParseContext} from './context.js'
import {int, note, parts} from './context.js'

/**
 * The candidate data directories and their sizes. The probe lists every candidate as `-<TAB>path`,
 * then du's `size-in-KiB<TAB>path` lines for those it sized within its budget; a du line counts
 * only for a listed candidate (du cut off at the limit can leave half a line). Outputs from before
 * the candidate list (du lines only, either order) are read as they are.
 */
export function parseDataPaths(lines: string[], ctx: ParseContext): Map<string, number | undefined> {
  const sizes = new Map<string, number | undefined>()
  let listed = false
  let cutShort = false
  for (const part of parts(lines, ctx)) {
    if (part.tag === 'DEADLINE') cutShort = true
    for (const line of part.lines) {
      if (line === 'no-timeout-command') note(ctx, 'the host has no `timeout` command: data paths were not sized')
      const [a = '', b = ''] = line.split('\t')
      // du prints "size<TAB>path"; probe version 1 before its single-du change printed "path<TAB>size".
      const [kb, path] = a.startsWith('/') ? [b, a] : [a, line.slice(a.length + 1)]
      if (!path.startsWith('/')) continue
      if (kb === '-') {
        listed = true
        if (!sizes.has(path)) sizes.set(path, undefined)
        continue
      }
      if (listed && !sizes.has(path)) continue
      const size = int(kb)
      sizes.set(path, size === undefined ? undefined : size * 1024)
    }
  }
  if (cutShort) {
    const unsized = [...sizes.values()].filter((s) => s === undefined).length
    const which = listed ? `${unsized} data path${unsized === 1 ? '' : 's'} without a size` : 'some data paths have no size'
    note(ctx, `directory sizing stopped at its time limit (--size-budget): ${which}`)
  }
  return sizes
}

import type {ParseContext} from './context.js'

export interface OpenFiles {
  /** Socket inode → owning pid. */
  socketOwners: Map<number, number>
  /** pid → absolute paths of the regular files and directories it holds open. */
  files: Map<number, string[]>
}

/** `ls -l /proc/PID/fd/`: headers "PID/fd:" then "... N -> socket:[INODE]" or "... N -> /path". */
export function parseFds(lines: string[], _ctx: ParseContext): OpenFiles {
  const socketOwners = new Map<number, number>()
  const files = new Map<number, string[]>()
  let pid: number | undefined
  for (const line of lines) {
    const header = /^(\d+)\/fd\/?:$/.exec(line)
    if (header) {
      pid = Number(header[1])
      continue
    }
    if (pid === undefined) continue
    const arrow = line.indexOf(' -> ')
    if (arrow < 0) continue
    const target = line.slice(arrow + 4)
    const socket = /^socket:\[(\d+)\]$/.exec(target)
    if (socket) {
      if (!socketOwners.has(Number(socket[1]))) socketOwners.set(Number(socket[1]), pid)
    } else if (target.startsWith('/')) {
      const list = files.get(pid) ?? []
      const path = target.replace(/ \(deleted\)$/, '')
      if (!list.includes(path)) list.push(path)
      files.set(pid, list)
    }
  }
  return {socketOwners, files}
}

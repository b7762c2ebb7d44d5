import type {GroupFact, UserFact} from '../../../types/facts.js'
import type {ParseContext} from './context.js'
import {int, parts} from './context.js'

/** /etc/passwd (name, uid, gid, home, shell: the GECOS field is not collected) and /etc/group. */
export function parseUsers(lines: string[], ctx: ParseContext): {users: UserFact[]; groups: GroupFact[]} {
  const users: UserFact[] = []
  const groups: GroupFact[] = []
  for (const part of parts(lines, ctx)) {
    for (const line of part.lines) {
      const f = line.split(':')
      const id = int(f[1])
      if (!f[0] || id === undefined) continue
      if (part.tag === '' && f.length >= 5) {
        users.push({name: f[0], uid: id, gid: int(f[2]) ?? id, home: f[3] ?? '', shell: f[4] ?? ''})
      } else if (part.tag === 'GROUPS') {
        groups.push({name: f[0], gid: id, members: (f[2] ?? '').split(',').filter(Boolean)})
      }
    }
  }
  return {users, groups}
}

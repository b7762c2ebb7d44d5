import type {FetchReport} from '../../collect/fetch/report.js'
import type {HostFacts} from '../../types/facts.js'
import {shellWord} from '../../shell.js'

interface Owned {
  path: string
  user: string
  group: string
}

/**
 * COPY makes every file root's; this puts back the owners the host had (by name, since numeric ids
 * differ between the host and the image), as few commands as it takes: one `chown -R` for a tree
 * owned by one account. `extra` adds owners Hoist needs (files its entrypoint rewrites).
 */
export function ownershipCommands(fetched: FetchReport, facts: HostFacts, extra: Owned[] = []): string[] {
  const userName = new Map(facts.users.map((u) => [u.uid, u.name]))
  const groupName = new Map(facts.groups.map((g) => [g.gid, g.name]))
  const name = (id: number, names: Map<number, string>) => names.get(id) ?? String(id)
  const entries: Owned[] = [...fetched.dirs, ...fetched.files].map((e) => ({path: e.path, user: name(e.uid, userName), group: name(e.gid, groupName)}))
  const owners = new Map(entries.map((e) => [e.path, e]))
  for (const e of extra) owners.set(e.path, e)
  // Sorted with '/' lowest, so each tree is one run of entries.
  const all = [...owners.values()].sort((a, b) => (a.path.replaceAll('/', '\0') < b.path.replaceAll('/', '\0') ? -1 : 1))
  const key = (e: Owned) => `${e.user}:${e.group}`
  // Every owner found at or below each path, so a tree owned by one account is one chown -R.
  const below = new Map<string, Set<string>>()
  for (const e of all) {
    for (let p = e.path; p.length > 0; p = p.slice(0, p.lastIndexOf('/'))) {
      if (!owners.has(p)) continue
      const set = below.get(p) ?? new Set<string>()
      set.add(key(e))
      below.set(p, set)
    }
  }
  const commands: string[] = []
  let coveredBy: string | undefined
  for (const entry of all) {
    if (coveredBy && entry.path.startsWith(`${coveredBy}/`)) continue
    const uniform = below.get(entry.path)!.size === 1
    if (key(entry) !== 'root:root') commands.push(`chown ${uniform ? '-R ' : ''}${key(entry)} ${shellWord(entry.path)}`)
    coveredBy = uniform ? entry.path : coveredBy
  }
  return commands
}

import {addChild, ancestors, type AnsibleGroup, type AnsibleInventory, type VarEntry} from './ansible-model.js'
import {sortedUnique, type NamedHost} from './types.js'

/** An Ansible host with its groups (parents included) and the variables it ends up with. */
export interface ResolvedAnsibleHost extends NamedHost {
  vars: Map<string, VarEntry>
}

/**
 * What Ansible's reconcile_inventory and get_vars do for a static inventory: groups without a parent
 * go under `all`, hosts in no group go to `ungrouped` (and leave it once in another group), and each
 * host's variables are its groups' variables merged by (depth, ansible_group_priority, name), the
 * deeper group winning, then the host's own variables on top.
 */
export function resolveAnsibleHosts(inventory: AnsibleInventory): ResolvedAnsibleHost[] {
  for (const group of inventory.groups.values()) {
    if (group.name !== 'all' && group.parents.size === 0) addChild(inventory, 'all', group.name, '')
  }
  const depth = groupDepths(inventory)
  const directGroups = new Map<string, Set<string>>()
  for (const group of inventory.groups.values()) {
    for (const host of group.hosts) {
      const set = directGroups.get(host) ?? new Set<string>()
      set.add(group.name)
      directGroups.set(host, set)
    }
  }
  return [...inventory.hosts.values()].map((host) => {
    const memberOf = new Set<string>(['all'])
    for (const name of directGroups.get(host.name) ?? []) {
      memberOf.add(name)
      for (const above of ancestors(inventory, name)) memberOf.add(above)
    }
    const others = [...memberOf].filter((name) => name !== 'all' && name !== 'ungrouped')
    if (others.length > 0) memberOf.delete('ungrouped')
    else memberOf.add('ungrouped')
    const ordered = [...memberOf]
      .map((name) => inventory.groups.get(name) as AnsibleGroup)
      .sort((a, b) => compareGroups(a, b, depth))
    const vars = new Map<string, VarEntry>()
    for (const group of ordered) for (const [key, entry] of group.vars) vars.set(key, entry)
    for (const [key, entry] of host.vars) vars.set(key, entry)
    return {name: host.name, groups: sortedUnique([...memberOf].filter((name) => name !== 'all')), source: host.source, vars}
  })
}

function compareGroups(a: AnsibleGroup, b: AnsibleGroup, depth: Map<string, number>): number {
  const byDepth = (depth.get(a.name) ?? 0) - (depth.get(b.name) ?? 0)
  if (byDepth !== 0) return byDepth
  if (a.priority !== b.priority) return a.priority - b.priority
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** A group's depth is its longest path down from `all` (Ansible raises it whenever a deeper parent appears). */
function groupDepths(inventory: AnsibleInventory): Map<string, number> {
  const depth = new Map<string, number>()
  const visit = (name: string): number => {
    const known = depth.get(name)
    if (known !== undefined) return known
    let deepest = 0
    for (const parent of inventory.groups.get(name)?.parents ?? []) deepest = Math.max(deepest, visit(parent) + 1)
    depth.set(name, deepest)
    return deepest
  }
  for (const name of inventory.groups.keys()) visit(name)
  return depth
}

import {inventoryError} from './types.js'

/** A variable as the inventory set it, and where, so a bad value can be pointed at. */
export interface VarEntry {
  value: unknown
  source: string
}

/** A value Hoist cannot read: an `!vault` encrypted string. */
export interface VaultValue {
  vault: true
}

/** An `!unsafe` string: taken literally, `{{` and all. */
export interface UnsafeValue {
  unsafe: string
}

export interface AnsibleGroup {
  name: string
  vars: Map<string, VarEntry>
  /** Names of the child groups. */
  children: Set<string>
  parents: Set<string>
  /** Hosts placed in this group directly. */
  hosts: Set<string>
  /** `ansible_group_priority`: among groups at the same depth, the higher priority's vars win. */
  priority: number
}

export interface AnsibleHostDef {
  name: string
  vars: Map<string, VarEntry>
  /** Where the host is first named. */
  source: string
}

/**
 * The groups and hosts of an Ansible inventory as its parser (INI or YAML) declares them, before
 * inheritance is worked out: the equivalent of Ansible's InventoryData, with the same rules for
 * adding the same host or group twice (merge; later variables win).
 */
export interface AnsibleInventory {
  groups: Map<string, AnsibleGroup>
  hosts: Map<string, AnsibleHostDef>
}

export function newAnsibleInventory(): AnsibleInventory {
  const inventory: AnsibleInventory = {groups: new Map(), hosts: new Map()}
  addGroup(inventory, 'all')
  addGroup(inventory, 'ungrouped')
  addChild(inventory, 'all', 'ungrouped', '')
  return inventory
}

export function addGroup(inventory: AnsibleInventory, name: string): AnsibleGroup {
  const existing = inventory.groups.get(name)
  if (existing) return existing
  const group: AnsibleGroup = {name, vars: new Map(), children: new Set(), parents: new Set(), hosts: new Set(), priority: 1}
  inventory.groups.set(name, group)
  return group
}

/** A port written in the host pattern (`web1:2222`) counts only where the host is first named, as in Ansible. */
export function addHost(inventory: AnsibleInventory, name: string, source: string, group?: string, port?: number): AnsibleHostDef {
  let host = inventory.hosts.get(name)
  if (!host) {
    host = {name, vars: new Map(), source}
    inventory.hosts.set(name, host)
    if (port !== undefined) host.vars.set('ansible_port', {value: port, source})
  }
  if (group !== undefined) addGroup(inventory, group).hosts.add(name)
  return host
}

export function setHostVar(host: AnsibleHostDef, key: string, value: unknown, source: string): void {
  host.vars.set(key, {value, source})
}

export function setGroupVar(group: AnsibleGroup, key: string, value: unknown, source: string): void {
  if (key !== 'ansible_group_priority') {
    group.vars.set(key, {value, source})
    return
  }
  const priority = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isInteger(priority)) {
    throw inventoryError(source, `ansible_group_priority ${JSON.stringify(value)} of group ${group.name} is not a whole number`, 'Set ansible_group_priority to a whole number (default 1).')
  }
  group.priority = priority
}

export function addChild(inventory: AnsibleInventory, parentName: string, childName: string, source: string): void {
  const parent = addGroup(inventory, parentName)
  const child = addGroup(inventory, childName)
  if (parent.children.has(childName)) return
  if (childName === parentName || ancestors(inventory, parentName).has(childName)) {
    throw inventoryError(source, `adding group ${childName} as a child of ${parentName} makes a loop`, `Remove ${childName} from the children of ${parentName}, or the path from ${childName} back to ${parentName}.`)
  }
  parent.children.add(childName)
  child.parents.add(parentName)
}

/** Every group above this one, through any number of parents. */
export function ancestors(inventory: AnsibleInventory, name: string): Set<string> {
  const found = new Set<string>()
  const pending = [...(inventory.groups.get(name)?.parents ?? [])]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (found.has(next)) continue
    found.add(next)
    pending.push(...(inventory.groups.get(next)?.parents ?? []))
  }
  return found
}

import {HoistError} from '../../errors.js'

/** One host of an inventory file, ready for the batch runner. */
export interface InventoryHost {
  /** The workspace name of the host (inventory hostname / alias / CSV host column). Unique. */
  name: string
  /** What to connect to: the address (ansible_host / HostName / CSV host). */
  host: string
  port?: number
  user?: string
  /** As written in the inventory: `~` is not expanded here. */
  identityFile?: string
  /** Groups (Ansible groups incl. parents via children, minus `all`; CSV tags; ssh_config: none), sorted. */
  groups: string[]
  /** Where it came from: "inventory.ini:12" (the file as the user named it). */
  source: string
  /** For ssh_config entries: the alias, to be resolved through that ssh_config file by the SSH layer. */
  sshConfigAlias?: string
}

export type InventoryFormat = 'csv' | 'ansible-ini' | 'ansible-yaml' | 'ssh-config'

export const INVENTORY_FORMATS: readonly InventoryFormat[] = ['csv', 'ansible-ini', 'ansible-yaml', 'ssh-config']

export interface LoadInventoryOptions {
  /** Skip detection: read the file as this format. */
  format?: InventoryFormat
  /** Like Ansible's --limit: group, tag, host name or glob; `!pattern` excludes, `&pattern` intersects. */
  limit?: string[]
  /** What a leading `~` in identity files stands for; default the user's home. */
  homeDir?: string
}

/** A host before its connection settings are worked out: what --limit needs. */
export interface NamedHost {
  name: string
  groups: string[]
  source: string
}

/** The one error of this module: says where (file:line) and what to do. */
export function inventoryError(where: string, message: string, suggestion: string): HoistError {
  return new HoistError('INVENTORY_INVALID', `${where}: ${message}`, suggestion)
}

export function sourceOf(file: string, line: number): string {
  return `${file}:${line}`
}

/**
 * Names become workspace folders (hosts/<name>/), so a name must be a safe single path segment.
 * Everything else an inventory may call a host is accepted as written.
 */
export function checkHostName(name: string, source: string): void {
  const bad = name === '' || name === '.' || name === '..' || /[/\\\u0000-\u001f\u007f]/.test(name)
  if (!bad) return
  throw inventoryError(source, `host name ${JSON.stringify(name)} cannot be used as a workspace folder name`, 'Name the host without slashes or control characters (in a CSV, set the name column).')
}

/** A port as an inventory may write it: a number, or a string of digits. */
export function parsePortValue(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : ''
  if (!/^\d{1,5}$/.test(text)) return undefined
  const port = Number(text)
  return port >= 1 && port <= 65535 ? port : undefined
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

import {isIPv6} from 'node:net'
import {inventoryError, sortedUnique, type NamedHost} from './types.js'
import {globToRegExp} from '../../glob.js'

interface Pattern {
  text: string
  kind: 'include' | 'intersect' | 'exclude'
  matches: (host: NamedHost) => boolean
}

const MAX_LISTED = 40

/**
 * Ansible's --limit for an inventory: each pattern is a group (or CSV tag), a host name, `all`/`*`,
 * a glob (`web*`, matched like Ansible against host names and group names), or `~regex`; a value may
 * hold several, comma-separated (or colon-separated, Ansible's older form, when that is unambiguous). `!pattern` excludes, `&pattern` keeps only hosts also matching it.
 * A pattern that matches no host of the inventory is an error, as is a limit that leaves no host.
 */
export function applyLimit<T extends NamedHost>(hosts: T[], limit: string[] | undefined, file: string): T[] {
  const patterns = (limit ?? [])
    .flatMap(splitPatterns)
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .map((text) => compile(text, file))
  if (patterns.length === 0) return hosts
  for (const pattern of patterns) {
    if (hosts.some(pattern.matches)) continue
    throw inventoryError(file, `--limit ${JSON.stringify(pattern.text)} matches no host`, `Use a group, tag or host name of this inventory, or a glob like web*. ${available(hosts)}`)
  }
  const includes = patterns.filter((pattern) => pattern.kind === 'include')
  const selected = hosts.filter(
    (host) =>
      (includes.length === 0 || includes.some((pattern) => pattern.matches(host))) &&
      patterns.every((pattern) => (pattern.kind === 'intersect' ? pattern.matches(host) : pattern.kind === 'exclude' ? !pattern.matches(host) : true)),
  )
  if (selected.length === 0) {
    throw inventoryError(file, `--limit ${patterns.map((pattern) => pattern.text).join(',')} leaves no host to scan`, `Check the ! and & patterns: together they exclude every host. ${available(hosts)}`)
  }
  return selected
}

/** Ansible's split_host_pattern: commas, else colons unless the value is an IPv6 address or holds a range. */
function splitPatterns(value: string): string[] {
  if (value.includes(',')) return value.split(',')
  const bare = value.trim().replace(/^[!&]/, '')
  if (!value.includes(':') || value.includes('[') || isIPv6(bare)) return [value]
  return value.split(':')
}

function compile(text: string, file: string): Pattern {
  const kind = text.startsWith('!') ? 'exclude' : text.startsWith('&') ? 'intersect' : 'include'
  const body = kind === 'include' ? text : text.slice(1)
  if (body === 'all' || body === '*') return {text, kind, matches: () => true}
  let test: (value: string) => boolean
  if (body.startsWith('~')) {
    let re: RegExp
    try {
      re = new RegExp(body.slice(1))
    } catch (error) {
      throw inventoryError(file, `--limit ${JSON.stringify(text)} is not a valid regular expression: ${(error as Error).message}`, 'Fix the expression after ~, or use a glob like web*.')
    }
    test = (value) => re.test(value)
  } else if (/[*?[]/.test(body)) {
    const re = globToRegExp(body)
    test = (value) => re.test(value)
  } else {
    test = (value) => value === body
  }
  return {text, kind, matches: (host) => test(host.name) || host.groups.some(test)}
}


function available(hosts: NamedHost[]): string {
  const groups = sortedUnique(hosts.flatMap((host) => host.groups))
  if (groups.length === 0) {
    const names = hosts.map((host) => host.name)
    return `Hosts: ${names.slice(0, MAX_LISTED).join(', ')}${names.length > MAX_LISTED ? `, … (${names.length} in all)` : ''}.`
  }
  return `Groups: ${groups.slice(0, MAX_LISTED).join(', ')}${groups.length > MAX_LISTED ? `, … (${groups.length} in all)` : ''}.`
}

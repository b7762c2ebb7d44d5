import SSHConfig, {LineType, type Line, type Section} from 'ssh-config'
import {parseTargetSpec} from '../../collect/transport/target.js'
import {expandHome} from './home.js'
import {inventoryError, parsePortValue, sourceOf, type InventoryHost} from './types.js'

const KEYWORD_RE = /^\s*(host|match)(?=[\s=])/i
const WILDCARD_RE = /[*?!]/

/**
 * The hosts of an ssh_config file: every name on a `Host` line that is not a pattern (`*`, `?`,
 * `!`) becomes a host named by that alias, with `sshConfigAlias` set so the SSH layer resolves it
 * through the same file (ProxyJump, Include and all). HostName, User, Port and IdentityFile are read
 * here for display only, from this file alone: `Include` is not followed and `Match exec` never runs.
 * Names ssh cannot take as a host (with spaces, `user@`, `:port`) are skipped, as are `Match` blocks.
 */
export function parseSshConfigInventory(text: string, file: string, homeDir: string): InventoryHost[] {
  let config: SSHConfig
  try {
    config = SSHConfig.parse(text)
  } catch (error) {
    throw inventoryError(file, `cannot parse the ssh_config file: ${(error as Error).message}`, `Fix the file (check quotes), then run \`ssh -G -F ${file} HOST\` to confirm OpenSSH accepts it.`)
  }
  const sectionLines = keywordLines(text)
  const hosts = new Map<string, InventoryHost>()
  let index = 0
  for (const line of config) {
    if (!isSection(line)) continue
    const lineNumber = sectionLines[index++] ?? 1
    if (!/^host$/i.test(line.param)) continue
    const patterns = typeof line.value === 'string' ? [line.value] : line.value.map((part) => part.val)
    for (const alias of patterns) {
      if (WILDCARD_RE.test(alias) || hosts.has(alias) || !isBareHost(alias)) continue
      hosts.set(alias, describe(config, alias, sourceOf(file, lineNumber), homeDir))
    }
  }
  return [...hosts.values()]
}

function isSection(line: Line): line is Section {
  return line.type === LineType.DIRECTIVE && 'config' in line
}

/** The line numbers of the Host and Match keywords, in order: ssh-config keeps no line numbers. */
function keywordLines(text: string): number[] {
  const found: number[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    if (KEYWORD_RE.test(line)) found.push(index + 1)
  })
  return found
}

function isBareHost(alias: string): boolean {
  try {
    const spec = parseTargetSpec(alias)
    return spec.user === undefined && spec.port === undefined && spec.host === alias
  } catch {
    return false
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function describe(config: SSHConfig, alias: string, source: string, homeDir: string): InventoryHost {
  // ssh lowercases the host it is given before matching Host patterns.
  const query = alias.toLowerCase()
  const computed = config.compute({Host: query}, {ignoreCase: true, matchExec: false})
  const hostName = first(computed['hostname'])?.replace(/%(.)/g, (token, key: string) => (key === 'h' ? query : key === '%' ? '%' : token))
  const user = first(computed['user'])
  const port = parsePortValue(first(computed['port']))
  const identity = ([] as string[]).concat(computed['identityfile'] ?? []).find((file) => file.toLowerCase() !== 'none')
  const identityFile = identity === undefined ? undefined : expandIdentity(identity, query, homeDir)
  return {
    name: alias,
    host: hostName ?? query,
    ...(port !== undefined ? {port} : {}),
    ...(user !== undefined ? {user} : {}),
    ...(identityFile !== undefined ? {identityFile} : {}),
    groups: [],
    source,
    sshConfigAlias: alias,
  }
}

/** `~`, %d, %n and %% are filled in; a path with any other %-token is left to the SSH layer. */
function expandIdentity(file: string, alias: string, homeDir: string): string | undefined {
  let unknown = false
  const expanded = expandHome(file, homeDir).replace(/%(.)?/g, (_match, key: string | undefined) => {
    if (key === '%') return '%'
    if (key === 'd') return homeDir
    if (key === 'n') return alias
    unknown = true
    return ''
  })
  return unknown ? undefined : expanded
}

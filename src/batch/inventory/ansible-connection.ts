import {parseTargetSpec} from '../../collect/transport/target.js'
import type {VarEntry} from './ansible-model.js'
import type {ResolvedAnsibleHost} from './ansible-vars.js'
import {checkHostName, inventoryError, parsePortValue, type InventoryHost} from './types.js'

/**
 * The variables Hoist reads, each list in the order the ssh connection plugin reads them: the last
 * one set wins, so the old `ansible_ssh_*` names beat the new ones when both are set (as in Ansible).
 */
const CONNECTION_VARS = {
  host: ['ansible_host', 'ansible_ssh_host'],
  user: ['ansible_user', 'ansible_ssh_user'],
  port: ['ansible_port', 'ansible_ssh_port'],
  identityFile: ['ansible_private_key_file', 'ansible_ssh_private_key_file'],
} as const

const MAX_TEMPLATE_DEPTH = 10

/** The connection settings of one host, from its merged variables; other variables are ignored. */
export function ansibleConnection(host: ResolvedAnsibleHost): InventoryHost {
  checkHostName(host.name, host.source)
  const pick = (names: readonly string[]): {name: string; entry: VarEntry} | undefined => {
    let found: {name: string; entry: VarEntry} | undefined
    for (const name of names) {
      const entry = host.vars.get(name)
      if (entry !== undefined && entry.value !== null && entry.value !== undefined) found = {name, entry}
    }
    return found
  }
  const text = (names: readonly string[]): {value: string; name: string; source: string} | undefined => {
    const found = pick(names)
    if (!found) return undefined
    const value = render(found.entry, found.name, host, 0)
    return value === '' ? undefined : {value, name: found.name, source: found.entry.source}
  }
  const address = text(CONNECTION_VARS.host)
  const user = text(CONNECTION_VARS.user)
  const identityFile = text(CONNECTION_VARS.identityFile)
  const portVar = pick(CONNECTION_VARS.port)
  let port: number | undefined
  if (portVar) {
    const raw = typeof portVar.entry.value === 'string' ? render(portVar.entry, portVar.name, host, 0) : portVar.entry.value
    port = parsePortValue(raw)
    if (port === undefined) {
      throw inventoryError(portVar.entry.source, `${portVar.name} ${JSON.stringify(raw)} of host ${host.name} is not a port number`, `Set ${portVar.name} to a number from 1 to 65535.`)
    }
  }
  return {
    name: host.name,
    host: checkAddress(address ?? {value: host.name, name: 'the inventory hostname', source: host.source}, host.name),
    ...(port !== undefined ? {port} : {}),
    ...(user ? {user: user.value} : {}),
    ...(identityFile ? {identityFile: identityFile.value} : {}),
    groups: host.groups,
    source: host.source,
  }
}

/** ansible_host is an address: Ansible hands it to ssh as is, so user@ or :port in it is a mistake. */
function checkAddress(address: {value: string; name: string; source: string}, hostName: string): string {
  let spec
  try {
    spec = parseTargetSpec(address.value)
  } catch {
    spec = undefined
  }
  if (!spec || spec.user !== undefined || spec.port !== undefined) {
    const what = address.name.startsWith('ansible_') ? `${address.name} ${JSON.stringify(address.value)} of host ${hostName}` : `host ${JSON.stringify(hostName)}, with no ansible_host,`
    throw inventoryError(address.source, `${what} is not a host name or IP address`, 'Set ansible_host to the address only; put the user in ansible_user and the port in ansible_port.')
  }
  return spec.host
}

/**
 * A connection variable as text. Hoist does not run Jinja, but the plain references inventories use
 * (`{{ inventory_hostname }}.example.com`, `{{ some_var }}`) are filled in from the host's variables.
 */
function render(entry: VarEntry, name: string, host: ResolvedAnsibleHost, depth: number): string {
  const {value, source} = entry
  if (typeof value === 'object' && value !== null && 'vault' in value) {
    throw inventoryError(source, `${name} of host ${host.name} is encrypted with ansible-vault`, `Hoist cannot decrypt vault values: write ${name} in clear for the hosts to scan, or leave the host out with --limit '!${host.name}'.`)
  }
  if (typeof value === 'object' && value !== null && 'unsafe' in value) return String(value.unsafe)
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value !== 'string') {
    throw inventoryError(source, `${name} of host ${host.name} is ${JSON.stringify(value)}, not text`, `Set ${name} to a string.`)
  }
  if (!value.includes('{{') && !value.includes('{%')) return value
  if (depth >= MAX_TEMPLATE_DEPTH) {
    throw inventoryError(source, `${name} of host ${host.name} refers to itself through templates`, `Set ${name} to a literal value.`)
  }
  const untemplatable = (): Error =>
    inventoryError(source, `${name} ${JSON.stringify(value)} of host ${host.name} uses a Jinja template Hoist cannot evaluate`, `Hoist fills in only {{ variable }} references: write ${name} as a literal value, or leave the host out with --limit '!${host.name}'.`)
  if (value.includes('{%')) throw untemplatable()
  return value.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_match, expression: string) => {
    if (expression === 'inventory_hostname') return host.name
    if (expression === 'inventory_hostname_short') return host.name.split('.')[0] ?? host.name
    if (!/^[A-Za-z_]\w*$/.test(expression)) throw untemplatable()
    const referenced = host.vars.get(expression)
    if (referenced === undefined || referenced.value === null) throw untemplatable()
    return render(referenced, expression, host, depth + 1)
  })
}

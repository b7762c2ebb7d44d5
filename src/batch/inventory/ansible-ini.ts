import {addChild, addGroup, addHost, newAnsibleInventory, setGroupVar, setHostVar, type AnsibleInventory} from './ansible-model.js'
import {expandHostPattern} from './host-pattern.js'
import {pythonLiteral, shlexSplit} from './ini-values.js'
import {inventoryError, sourceOf} from './types.js'

const SECTION_RE = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/
const GROUP_NAME_RE = /^([^:\]\s]+)\s*(?:#.*)?$/

type State = 'hosts' | 'children' | 'vars'

/**
 * An Ansible INI inventory, read line by line as Ansible's ini plugin reads it: lines before any
 * section are ungrouped hosts; `[g]` holds hosts with inline `key=value` variables, `[g:children]`
 * child group names, `[g:vars]` one `key=value` per line. A group may be used before it is declared,
 * but must be declared (`[g]` or `[g:children]`) somewhere in the file.
 */
export function parseAnsibleIni(text: string, file: string): AnsibleInventory {
  const inventory = newAnsibleInventory()
  const declared = new Set(['all', 'ungrouped'])
  /** Groups named in a :children or :vars section, and the first line naming them. */
  const referenced = new Map<string, {line: number; how: string}>()
  let group = 'ungrouped'
  let state: State = 'hosts'
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/)
  lines.forEach((raw, index) => {
    const lineNumber = index + 1
    const source = sourceOf(file, lineNumber)
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return
    const section = SECTION_RE.exec(line)
    if (section) {
      group = section[1] as string
      const kind = section[2] ?? 'hosts'
      if (kind !== 'hosts' && kind !== 'children' && kind !== 'vars') {
        throw inventoryError(source, `section [${group}:${kind}] has an unknown type ${JSON.stringify(kind)}`, `Use [${group}], [${group}:children] or [${group}:vars].`)
      }
      state = kind
      addGroup(inventory, group)
      if (state === 'vars') noteReference(referenced, group, lineNumber, `[${group}:vars]`)
      else declared.add(group)
      return
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw inventoryError(source, `invalid section header ${line}`, 'Write a section as [group], [group:children] or [group:vars], with no spaces inside the brackets.')
    }
    if (state === 'hosts') readHostLine(inventory, line, group, source)
    else if (state === 'vars') readVarLine(inventory, line, group, source)
    else {
      const child = GROUP_NAME_RE.exec(line)?.[1]
      if (child === undefined) throw inventoryError(source, `expected a group name in [${group}:children], got ${JSON.stringify(line)}`, 'List one child group name per line under [group:children].')
      noteReference(referenced, child, lineNumber, `[${group}:children]`)
      addChild(inventory, group, child, source)
    }
  })
  for (const [name, {line, how}] of referenced) {
    if (declared.has(name)) continue
    throw inventoryError(sourceOf(file, line), `${how} names group ${name}, which is never declared`, `Declare the group with a [${name}] section (it may be empty), or fix the name's spelling.`)
  }
  return inventory
}

function noteReference(referenced: Map<string, {line: number; how: string}>, name: string, line: number, how: string): void {
  if (!referenced.has(name)) referenced.set(name, {line, how})
}

function readHostLine(inventory: AnsibleInventory, line: string, group: string, source: string): void {
  let tokens: string[]
  try {
    tokens = shlexSplit(line)
  } catch (error) {
    throw inventoryError(source, `cannot split host line ${JSON.stringify(line)}: ${(error as Error).message}`, 'Close every quote on the line; quote values that hold spaces: key="a value".')
  }
  const [pattern, ...assignments] = tokens
  if (pattern === undefined) return
  const vars: [string, unknown][] = []
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=')
    if (equals < 0) {
      throw inventoryError(source, `expected key=value after the host, got ${JSON.stringify(assignment)}`, 'Write host variables as key=value, one host per line; quote values that hold spaces.')
    }
    vars.push([assignment.slice(0, equals), pythonLiteral(assignment.slice(equals + 1))])
  }
  const {names, port} = expandHostPattern(pattern, source)
  for (const name of names) {
    const host = addHost(inventory, name, source, group, port)
    for (const [key, value] of vars) setHostVar(host, key, value, source)
  }
}

function readVarLine(inventory: AnsibleInventory, line: string, group: string, source: string): void {
  const equals = line.indexOf('=')
  if (equals < 0) throw inventoryError(source, `expected key=value in [${group}:vars], got ${JSON.stringify(line)}`, 'Write one key=value per line in a :vars section.')
  setGroupVar(addGroup(inventory, group), line.slice(0, equals).trim(), pythonLiteral(line.slice(equals + 1).trim()), source)
}

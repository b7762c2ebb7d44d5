import {isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type ScalarTag} from 'yaml'
import {addChild, addGroup, addHost, newAnsibleInventory, setGroupVar, setHostVar, type AnsibleInventory, type UnsafeValue, type VaultValue} from './ansible-model.js'
import {expandHostPattern} from './host-pattern.js'
import {inventoryError, sourceOf} from './types.js'

/** Ansible's YAML tags: `!vault` values cannot be read, `!unsafe` ones are never templated. */
const ANSIBLE_TAGS: ScalarTag[] = [
  {tag: '!vault', resolve: (): VaultValue => ({vault: true})},
  {tag: '!unsafe', resolve: (text: string): UnsafeValue => ({unsafe: text})},
]

const SECTIONS = ['hosts', 'children', 'vars'] as const

interface Context {
  file: string
  doc: Document
  lines: LineCounter
  inventory: AnsibleInventory
  /** Mappings being read, to stop an alias that points back at its own ancestor. */
  open: Set<Node>
}

interface Entry {
  key: string
  line: number
  value: Node | null
}

/**
 * An Ansible YAML (or JSON) inventory: top-level keys are groups, each a mapping with `hosts`
 * (pattern → variables), `vars` and `children` (name → group), nested to any depth; the same group
 * may appear in several places and is merged. Read as YAML 1.1 like Ansible's PyYAML, with anchors
 * and `<<` merge keys. Keys other than hosts/children/vars in a group are errors (Ansible only warns).
 */
export function parseAnsibleYaml(text: string, file: string): AnsibleInventory {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, version: '1.1', uniqueKeys: false, customTags: ANSIBLE_TAGS})
  const problem = doc.errors[0]
  if (problem) {
    const line = problem.linePos?.[0].line ?? 1
    throw inventoryError(sourceOf(file, line), `not valid YAML: ${(problem.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`, 'Fix the YAML (indentation with spaces, a space after each colon), then check it with `ansible-inventory -i FILE --list`.')
  }
  const context: Context = {file, doc, lines, inventory: newAnsibleInventory(), open: new Set()}
  const root = doc.contents
  if (root === null || (isScalar(root) && root.value === null)) return context.inventory
  const top = entries(root, context, 'the top level')
  const plugin = top.find((entry) => entry.key === 'plugin')
  if (plugin) {
    throw inventoryError(sourceOf(file, plugin.line), 'this is an inventory plugin configuration, not a static inventory', 'Export the hosts it finds to a static inventory, then pass that: ansible-inventory -i FILE --list --yaml > hosts.yml')
  }
  for (const entry of top) readGroup(entry, context)
  return context.inventory
}

function readGroup({key: group, line, value}: Entry, context: Context): void {
  addGroup(context.inventory, group)
  if (value === null) return
  enter(value, line, context)
  for (const section of entries(value, context, `group ${group}`)) {
    const where = sourceOf(context.file, section.line)
    if (!(SECTIONS as readonly string[]).includes(section.key)) {
      throw inventoryError(where, `unexpected key ${JSON.stringify(section.key)} in group ${group}`, 'A group holds only hosts, children and vars; indent host names under hosts:.')
    }
    const items = sectionEntries(section, group, context)
    if (section.key === 'vars') {
      for (const item of items) setGroupVar(addGroup(context.inventory, group), item.key, toValue(item.value, context), sourceOf(context.file, item.line))
    } else if (section.key === 'children') {
      for (const item of items) {
        readGroup(item, context)
        addChild(context.inventory, group, item.key, sourceOf(context.file, item.line))
      }
    } else {
      for (const item of items) readHost(item, group, context)
    }
  }
  context.open.delete(value)
}

function enter(node: Node, line: number, context: Context): void {
  if (context.open.has(node)) {
    throw inventoryError(sourceOf(context.file, line), 'an alias (*name) points back at a mapping that contains it', 'Point the alias at a mapping outside the one it sits in.')
  }
  context.open.add(node)
}

/** A section's entries; Ansible accepts `hosts: web1` for a single host (or child, or nothing for vars). */
function sectionEntries(section: Entry, group: string, context: Context): Entry[] {
  if (section.value === null) return []
  if (isScalar(section.value) && typeof section.value.value === 'string' && section.key !== 'vars') {
    return [{key: section.value.value, line: lineOf(section.value, context), value: null}]
  }
  if (!isMap(section.value)) {
    throw inventoryError(sourceOf(context.file, section.line), `${section.key} of group ${group} must be a mapping`, section.key === 'vars' ? 'Write vars as key: value lines.' : 'Write each entry as a key ending in a colon (web1:), not as a list item (- web1).')
  }
  return entries(section.value, context, `${section.key} of group ${group}`)
}

function readHost({key: pattern, line, value}: Entry, group: string, context: Context): void {
  const source = sourceOf(context.file, line)
  const vars = value === null ? [] : entries(value, context, `host ${pattern}`, line, `Put the host's variables under it (ansible_host: 10.0.0.5), or leave it empty (${pattern}:).`)
  const {names, port} = expandHostPattern(pattern, source)
  for (const name of names) {
    const host = addHost(context.inventory, name, source, group, port)
    for (const item of vars) setHostVar(host, item.key, toValue(item.value, context), sourceOf(context.file, item.line))
  }
}

function resolve(node: Node, context: Context): Node {
  return isAlias(node) ? ((node.resolve(context.doc) as Node | undefined) ?? node) : node
}

/**
 * A mapping's entries in Python dict order (a repeated key keeps its first place and its last
 * value), with `<<` merge keys applied (explicit keys win over merged ones).
 */
function entries(node: Node, context: Context, what: string, line?: number, suggestion = 'Check the indentation: a group holds hosts, children and vars, each of key: value lines.'): Entry[] {
  const map = resolve(node, context)
  if (isScalar(map) && map.value === null) return []
  if (!isMap(map)) throw inventoryError(sourceOf(context.file, line ?? lineOf(map, context)), `${what} must be a mapping (key: value lines)`, suggestion)
  const merged = new Map<string, Entry>()
  const explicit = new Map<string, Entry>()
  for (const pair of map.items) {
    const keyNode = pair.key as Node | null
    const valueNode = (pair.value as Node | null) ?? null
    if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
      const sources = valueNode !== null && isSeq(resolve(valueNode, context)) ? (resolve(valueNode, context) as {items: Node[]}).items : valueNode ? [valueNode] : []
      enter(map, line ?? lineOf(map, context), context)
      for (const from of sources) for (const entry of entries(from, context, what)) if (!merged.has(entry.key)) merged.set(entry.key, entry)
      context.open.delete(map)
      continue
    }
    const key = keyText(keyNode)
    const entry = {key, line: keyNode ? lineOf(keyNode, context) : (line ?? 1), value: valueNode === null ? null : resolve(valueNode, context)}
    if (entry.value !== null && isScalar(entry.value) && entry.value.value === null) entry.value = null
    explicit.set(key, explicit.has(key) ? {...(explicit.get(key) as Entry), value: entry.value} : entry)
  }
  for (const [key, entry] of explicit) merged.set(key, entry)
  return [...merged.values()]
}

/** Keys as written: YAML 1.1 would turn a host called `y` or `on` into a boolean. */
function keyText(node: Node | null): string {
  if (!isScalar(node)) return String(node === null ? '' : node.toJSON())
  return typeof node.value === 'string' ? node.value : (node.source ?? String(node.value))
}

function toValue(node: Node | null, context: Context): unknown {
  if (node === null) return null
  if (isScalar(node) && typeof node.value === 'boolean' && /^[yYnN]$/.test(node.source ?? '')) return node.source
  return node.toJS(context.doc)
}

function lineOf(node: Node, context: Context): number {
  return node.range ? context.lines.linePos(node.range[0]).line : 1
}

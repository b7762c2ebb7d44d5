import {isIPv4, isIPv6} from 'node:net'
import {inventoryError} from './types.js'

/**
 * Ansible's host patterns, as `ansible/parsing/utils/addresses.py` and `expand_hostname_range`
 * read them: `name[:port]`, `[v6addr]:port`, and ranges `web[01:10]`, `web[1:9:2]`, `db-[a:c]`,
 * several per pattern. The port is split off only when what is left is a valid address or
 * hostname pattern; otherwise the whole text is the name, as Ansible does.
 */
export interface ExpandedPattern {
  names: string[]
  port?: number
}

const RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`
const LABEL = String.raw`(?:[\p{L}\p{N}_]|${RANGE})(?:[\p{L}\p{N}_-]|${RANGE})*(?<![_-])`
const HOSTNAME_RE = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, 'iu')
const BRACKETED_PORT_RE = /^\[(.+)\]:([0-9]+)$/
const HOST_PORT_RE = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/
/** A numeric range stands in for one address component when validating IPv4/IPv6 with ranges. */
const NUMERIC_RANGE_RE = /\[[0-9a-f]+:[0-9a-f]+(?::[0-9]+)?\]/gi

/** A typo like [1:1000000] should fail fast, not fill memory. */
const MAX_EXPANSION = 100_000

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

export function expandHostPattern(pattern: string, source: string): ExpandedPattern {
  const {address, port} = splitPort(pattern)
  if (pattern.trim().endsWith(':') && port === undefined) {
    throw inventoryError(source, `host pattern ${JSON.stringify(pattern)} ends in ':'`, 'Write a port after the colon (web1:2222), or remove the colon.')
  }
  if (address.trim() === '---') {
    throw inventoryError(source, `host pattern '---' looks like the start of a YAML document`, 'Name a YAML inventory .yml or .yaml so it is read as YAML.')
  }
  const names = address.includes('[') ? expandRanges(address, source) : [address]
  return {names, ...(port !== undefined ? {port} : {})}
}

function splitPort(pattern: string): {address: string; port?: number} {
  let address = pattern
  let port: number | undefined
  for (const re of [BRACKETED_PORT_RE, HOST_PORT_RE]) {
    const match = re.exec(address)
    if (match) {
      address = match[1] as string
      port = Number(match[2])
    }
  }
  return isAddressPattern(address) ? {address, ...(port !== undefined ? {port} : {})} : {address: pattern}
}

function isAddressPattern(address: string): boolean {
  const plain = address.replace(NUMERIC_RANGE_RE, '0')
  return isIPv4(plain) || isIPv6(plain) || HOSTNAME_RE.test(address)
}

/** Expands the first `[begin:end(:step)]`, then the rest of each result, in Ansible's order. */
function expandRanges(text: string, source: string): string[] {
  const fail = (why: string) => inventoryError(source, `host range in ${JSON.stringify(text)}: ${why}`, 'Write a range as [01:10], [1:10:2] or [a:f].')
  const open = text.indexOf('[')
  const close = text.indexOf(']', open)
  if (close < 0) throw fail('the [ is never closed')
  const head = text.slice(0, open)
  const tail = text.slice(close + 1)
  const bounds = text.slice(open + 1, close).split(':')
  if (bounds.length !== 2 && bounds.length !== 3) throw fail('a range must be begin:end or begin:end:step')
  const begin = bounds[0] === '' ? '0' : (bounds[0] as string)
  const end = bounds[1] as string
  const step = bounds.length === 3 ? Number(bounds[2]) : 1
  if (end === '') throw fail('the range has no end')
  if (!Number.isInteger(step) || step < 1) throw fail(`step ${JSON.stringify(bounds[2])} is not a positive whole number`)
  let values: string[]
  if (LETTERS.includes(begin) && LETTERS.includes(end)) {
    const from = LETTERS.indexOf(begin)
    const to = LETTERS.indexOf(end)
    if (from > to) throw fail('the range must have begin <= end')
    values = []
    for (let index = from; index <= to; index += step) values.push(LETTERS[index] as string)
  } else {
    if (!/^-?\d+$/.test(begin) || !/^-?\d+$/.test(end)) throw fail(`${begin}:${end} is neither a number range nor a letter range`)
    const width = begin.length > 1 && begin.startsWith('0') ? begin.length : 0
    if (width > 0 && width !== end.length) throw fail('begin and end must have the same number of digits when zero-padded')
    if ((Number(end) - Number(begin)) / step >= MAX_EXPANSION) throw fail(`the range expands to more than ${MAX_EXPANSION} hosts`)
    values = []
    for (let value = Number(begin); value <= Number(end); value += step) values.push(width > 0 ? String(value).padStart(width, '0') : String(value))
  }
  return values.flatMap((value) => {
    const name = `${head}${value}${tail}`
    return name.includes('[') ? expandRanges(name, source) : [name]
  })
}

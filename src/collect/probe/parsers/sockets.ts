import type {Connection, Listener, SocketProtocol} from '../../../types/facts.js'
import type {ParseContext} from './context.js'
import {note, parts} from './context.js'

export interface SocketTables {
  listeners: Listener[]
  connections: (Connection & {inode: number})[]
}

const TCP_LISTEN = '0A'
const TCP_ESTABLISHED = '01'
const UDP_UNCONNECTED = '07'

/** /proc/net/{tcp,tcp6,udp,udp6}: the same tables `ss` and `netstat` read, with no tool needed. */
export function parseSockets(lines: string[], ctx: ParseContext): SocketTables {
  const listeners: Listener[] = []
  const connections: SocketTables['connections'] = []
  let bad = 0
  for (const {protocol, line} of tableLines(lines, ctx)) {
    const f = line.trim().split(/\s+/)
    if (f[0] === 'sl' || f.length < 10) continue
    const local = endpoint(f[1])
    const remote = endpoint(f[2])
    const inode = Number(f[9])
    if (!local || !remote || !Number.isSafeInteger(inode)) {
      bad++
      continue
    }
    const state = f[3]
    const tcp = protocol.startsWith('tcp')
    if ((tcp && state === TCP_LISTEN) || (!tcp && state === UDP_UNCONNECTED && remote.port === 0 && local.port !== 0)) {
      listeners.push({protocol, address: local.address, port: local.port, inode})
    } else if (tcp && state === TCP_ESTABLISHED) {
      connections.push({protocol, localAddress: local.address, localPort: local.port, peerAddress: remote.address, peerPort: remote.port, inode})
    }
  }
  if (bad > 0) note(ctx, `${bad} malformed socket table lines were skipped`)
  return {listeners: dedupe(listeners), connections}
}

const TABLES: readonly string[] = ['tcp', 'tcp6', 'udp', 'udp6']

/**
 * The tables' lines with their protocol. The probe prints them as `grep -H` does
 * ("/proc/net/tcp:  0: ..."); probes before 2026-11 printed each table behind a TABLE marker.
 */
function tableLines(lines: string[], ctx: ParseContext): {protocol: SocketProtocol; line: string}[] {
  const out: {protocol: SocketProtocol; line: string}[] = []
  for (const part of parts(lines, ctx)) {
    if (part.tag === 'TABLE' && TABLES.includes(part.arg)) {
      for (const line of part.lines) out.push({protocol: part.arg as SocketProtocol, line})
    } else if (part.tag === '') {
      for (const line of part.lines) {
        const m = /^\/proc\/net\/(tcp6?|udp6?):(.*)$/.exec(line)
        if (m) out.push({protocol: m[1] as SocketProtocol, line: m[2]!})
      }
    }
  }
  return out
}

function dedupe(listeners: Listener[]): Listener[] {
  const seen = new Set<string>()
  return listeners.filter((l) => {
    const key = `${l.protocol} ${l.address} ${l.port} ${l.inode}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** "0100007F:0050" → 127.0.0.1:80. Addresses are 32-bit words in host (little-endian) order. */
export function endpoint(hex: string | undefined): {address: string; port: number} | undefined {
  const m = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(hex ?? '')
  if (!m) return undefined
  const words = m[1]!.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''))
  const port = Number.parseInt(m[2]!, 16)
  if (words.length === 1) return {address: words[0]!.match(/../g)!.map((b) => Number.parseInt(b, 16)).join('.'), port}
  return {address: ipv6(words.join('')), port}
}

function ipv6(hex: string): string {
  const groups = hex.toLowerCase().match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, ''))
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') {
    const v4 = hex.slice(24).match(/../g)!.map((b) => Number.parseInt(b, 16)).join('.')
    return `::ffff:${v4}`
  }
  const text = groups.join(':')
  // Compress the longest run of zero groups, as inet_ntop does.
  const runs = [...text.matchAll(/(?:^|:)0(?::0)+(?::|$)/g)].sort((a, b) => b[0].length - a[0].length)
  const best = runs[0]
  if (!best) return text
  return `${text.slice(0, best.index)}::${text.slice(best.index + best[0].length)}`
}

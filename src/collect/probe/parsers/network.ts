import type {NetworkFacts} from '../../../types/facts.js'
import type {ParseContext} from './context.js'
import {parts} from './context.js'

/** `ip -o addr show`, the default route and the resolvers. */
export function parseNetwork(lines: string[], ctx: ParseContext): NetworkFacts {
  const net: NetworkFacts = {addresses: [], nameservers: []}
  for (const part of parts(lines, ctx)) {
    for (const line of part.lines) {
      if (part.tag === '') {
        const m = /^\d+:\s+([^\s@]+)(?:@\S+)?\s+(inet6?)\s+(\S+)/.exec(line)
        if (m && m[1] !== 'lo') net.addresses.push({interface: m[1]!, family: m[2] as 'inet' | 'inet6', cidr: m[3]!})
      } else if (part.tag === 'ROUTE') {
        const m = /^default via (\S+)/.exec(line)
        if (m) net.defaultGateway ??= m[1]
      } else if (part.tag === 'RESOLV') {
        const m = /^nameserver\s+(\S+)/.exec(line)
        if (m) net.nameservers.push(m[1]!)
      }
    }
  }
  return net
}

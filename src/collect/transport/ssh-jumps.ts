import type {Client as SshClient} from 'ssh2'
import {endClient} from './ssh-connection.js'
import type {SshTarget} from './target.js'

/**
 * Jump hosts shared between the targets behind them: in a batch, fifty hosts behind one bastion
 * use one connection to it (a forwarded channel each), not fifty. A chain is opened by the first
 * target that needs it, kept while any target uses it, closed with the last one, and forgotten as
 * soon as it drops, so the next target opens a fresh one.
 */
interface Chain {
  clients: SshClient[]
  users: number
}

const chains = new Map<string, Promise<Chain>>()

function chainKey(hops: SshTarget[]): string {
  return JSON.stringify(hops.map((h) => [h.user, h.host, h.port, h.identityFiles]))
}

export interface SharedJumps {
  /** The last jump host: the target is reached with a channel forwarded through it. */
  last: SshClient
  release(): Promise<void>
}

export async function acquireJumps(hops: SshTarget[], open: () => Promise<SshClient[]>): Promise<SharedJumps> {
  const key = chainKey(hops)
  let pending = chains.get(key)
  if (!pending) {
    pending = open().then((clients) => {
      const chain: Chain = {clients, users: 0}
      // A dropped hop ends the chain for everyone after it; new targets open a new one.
      for (const client of clients) client.on('close', () => chains.get(key) === pending && chains.delete(key))
      return chain
    })
    chains.set(key, pending)
    pending.catch(() => chains.get(key) === pending && chains.delete(key))
  }
  const chain = await pending
  chain.users++
  let released = false
  return {
    last: chain.clients[chain.clients.length - 1]!,
    async release() {
      if (released) return
      released = true
      chain.users--
      if (chain.users > 0) return
      if (chains.get(key) === pending) chains.delete(key)
      for (const client of [...chain.clients].reverse()) await endClient(client)
    },
  }
}

/** How many jump chains are open (for tests). */
export function openJumpChains(): number {
  return chains.size
}

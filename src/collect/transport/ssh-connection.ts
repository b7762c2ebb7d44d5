import type {Duplex} from 'node:stream'
import Client from 'ssh2/lib/client.js'
import type {Client as SshClient, ServerHostKeyAlgorithm} from 'ssh2'
import {HoistError} from '../../errors.js'
import {makeAuthHandler, type AuthRecord, type SshPrompter} from './ssh-auth.js'
import {connectError, forwardError} from './ssh-errors.js'
import {preferredHostKeyAlgorithms, verifyHostKey, type HopScope, type HostKeyOutcome, type HostKeyPolicy} from './ssh-hostkey.js'
import type {SshTarget} from './target.js'

export const DEFAULT_CONNECT_TIMEOUT_MS = 20_000

/** connectSsh's options with defaults applied, shared by every hop. */
export interface ConnectSettings {
  policy: HostKeyPolicy
  /** Undefined: each hop's ConnectTimeout, else the default. */
  connectTimeoutMs?: number
  authTimeoutMs: number
  identityFiles: string[]
  agentSocket?: string
  prompt?: SshPrompter
  keepaliveIntervalMs: number
  keepaliveCountMax: number
}

/** Ask the bastion to open a TCP connection onwards; the channel becomes the next hop's socket. */
export function forward(via: SshClient, hop: SshTarget, scope: HopScope, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() => {
      settled = true
      reject(new HoistError('SSH_TIMEOUT', `The jump host could not reach ${hop.host}:${hop.port} for ${scope.who} within ${Math.round(timeoutMs / 1000)} s.`, 'Check that the jump host can reach that address and port (firewall, routing).', {host: scope.host}))
    }, timeoutMs)
    via.forwardOut('127.0.0.1', 0, hop.host, hop.port, (error, stream) => {
      clearTimeout(timer)
      if (settled) {
        stream?.close()
        return
      }
      settled = true
      if (error) reject(forwardError(error, hop, scope))
      else resolve(stream)
    })
  })
}

/**
 * One SSH connection, to a host directly or over a forwarded channel, checked and logged in. `sock`
 * is that channel, or a TCP connection dialled already (dial.ts), which may have failed meanwhile.
 */
export function openConnection(hop: SshTarget, scope: HopScope, sock: Duplex | undefined, settings: ConnectSettings, notes: string[]): Promise<{client: SshClient; hostKey: HostKeyOutcome}> {
  const client = new Client()
  client.once('close', () => closedClients.add(client))
  const record: AuthRecord = {tried: [], exhausted: false}
  const connectMs = settings.connectTimeoutMs ?? hop.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const authMs = settings.authTimeoutMs
  const {agentSocket, policy} = settings
  let phase: 'connect' | 'auth' = 'connect'
  let tcpConnected = false
  let hostKeyError: HoistError | undefined
  let hostKey: HostKeyOutcome | undefined
  let settled = false
  let timer: NodeJS.Timeout | undefined

  return new Promise((resolve, reject) => {
    const fail = (error: HoistError): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      client.destroy()
      sock?.destroy()
      reject(error)
    }
    const arm = (ms: number): void => {
      clearTimeout(timer)
      timer = setTimeout(() => fail(connectError({level: 'hoist-timeout'}, {hop, scope, phase, tcpConnected, record, timeoutMs: ms})), ms)
    }
    // This listener stays for the client's whole life: a late second error would otherwise crash the process.
    client.on('error', (error: Error & {level?: string; code?: string | number}) => {
      if (settled) return
      if (error.level === 'agent') {
        notes.push(`${scope.who}: the ssh-agent at ${agentSocket} could not be used (${error.message}); carried on without it.`)
        return
      }
      if (error.level === 'client-authentication' && !record.exhausted) {
        notes.push(`${scope.who}: ${error.message}`)
        return
      }
      fail(hostKeyError ?? connectError(error, {hop, scope, phase, tcpConnected, record, timeoutMs: connectMs}))
    })
    client.on('connect', () => {
      tcpConnected = true
    })
    // 'handshake' repeats on every re-key; only the first one ends the connect phase.
    client.on('handshake', () => {
      if (settled || phase === 'auth') return
      phase = 'auth'
      arm(authMs)
    })
    client.on('ready', () => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({client, hostKey: hostKey as HostKeyOutcome})
    })
    client.on('close', () => fail(hostKeyError ?? connectError({level: 'closed'}, {hop, scope, phase, tcpConnected, record, timeoutMs: connectMs})))

    const identityFiles = [...new Set([...settings.identityFiles, ...hop.identityFiles])]
    const authHandler = makeAuthHandler(
      {
        who: `${hop.user}@${hop.host.includes(':') ? `[${hop.host}]` : hop.host}${hop.port === 22 ? '' : `:${hop.port}`}`,
        username: hop.user,
        ...(agentSocket ? {agentSocket} : {}),
        identityFiles,
        ...(settings.prompt ? {prompt: settings.prompt} : {}),
        onPromptStart: () => clearTimeout(timer),
        onPromptEnd: () => arm(authMs),
      },
      record,
    )
    arm(connectMs)
    const start = async (): Promise<void> => {
      const serverHostKey = await preferredHostKeyAlgorithms(hop, policy)
      if (settled) return
      // A dialled socket that failed before ssh2 listened to it: its error, as ssh2 would have given it.
      const early = (sock as Duplex & {errored?: Error | null} | undefined)?.errored
      if (early) throw early
      client.connect({
        ...(sock ? {sock} : {host: hop.host, port: hop.port}),
        username: hop.user,
        // Our own timers replace readyTimeout, which would also run while a person types a passphrase.
        readyTimeout: 0,
        keepaliveInterval: settings.keepaliveIntervalMs,
        keepaliveCountMax: settings.keepaliveCountMax,
        algorithms: {serverHostKey: serverHostKey as ServerHostKeyAlgorithm[]},
        authHandler,
        hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
          verifyHostKey(hop, scope, key, policy, notes).then(
            (outcome) => {
              hostKey = outcome
              verify(true)
            },
            (error: HoistError) => {
              hostKeyError = error
              verify(false)
            },
          )
        },
      })
    }
    start().catch((error: unknown) => fail(connectError(error as Error, {hop, scope, phase, tcpConnected, record, timeoutMs: connectMs})))
  })
}

const closedClients = new WeakSet<SshClient>()

/** end() politely, destroy() if the peer does not close within 2 s. */
export function endClient(client: SshClient): Promise<void> {
  return new Promise((resolve) => {
    if (closedClients.has(client)) {
      resolve()
      return
    }
    const timer = setTimeout(() => {
      client.destroy()
      resolve()
    }, 2_000)
    client.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
    client.end()
  })
}


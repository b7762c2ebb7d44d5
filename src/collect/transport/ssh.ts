import os from 'node:os'
import {join} from 'node:path'
import type {Duplex} from 'node:stream'
import {password as askPassword} from '@inquirer/prompts'
import ssh2 from 'ssh2'
import type {Client as SshClient, ServerHostKeyAlgorithm} from 'ssh2'
import {HoistError} from '../../errors.js'
import {makeAuthHandler, type AuthRecord, type SshPrompter} from './ssh-auth.js'
import {execOverSsh} from './ssh-exec.js'
import {preferredHostKeyAlgorithms, verifyHostKey, type HopScope, type HostKeyOutcome, type HostKeyPolicy} from './ssh-hostkey.js'
import {connectError, forwardError} from './ssh-errors.js'
import type {SshTarget} from './target.js'
import type {Transport} from './transport.js'

// Named imports from ssh2 compile, then fail at run time under native ESM.
const {Client} = ssh2

export type {SshPrompter} from './ssh-auth.js'

export interface SshConnectOptions {
  /** Default ~/.ssh/known_hosts. */
  knownHostsPath?: string
  /** Read only; default /etc/ssh/ssh_known_hosts and ssh_known_hosts2, like OpenSSH. */
  globalKnownHostsPaths?: string[]
  /** Record an unknown host key on first use (never a changed or revoked one). */
  acceptNew?: boolean
  /** TCP connect plus SSH handshake, per hop. Default: the target's ConnectTimeout, else 20 s. */
  connectTimeoutMs?: number
  /** Authentication, per hop, not counting time spent at a prompt. Default 30 s. */
  authTimeoutMs?: number
  /** Tried before the target's own identity files (--identity). */
  identityFiles?: string[]
  /** Undefined without a terminal: then nothing is ever asked. */
  prompt?: SshPrompter
  /** ssh-agent socket; default SSH_AUTH_SOCK; false to not use an agent. */
  agentSocket?: string | false
  keepaliveIntervalMs?: number
  keepaliveCountMax?: number
}

export interface SshTransport extends Transport {
  readonly kind: 'ssh'
  /** The final host's key, as checked. */
  readonly hostKey: HostKeyOutcome
  /** Things worth telling the user that did not stop the connection. */
  readonly notes: readonly string[]
}

const DEFAULT_CONNECT_TIMEOUT_MS = 20_000
const DEFAULT_AUTH_TIMEOUT_MS = 30_000

export async function connectSsh(target: SshTarget, options: SshConnectOptions = {}): Promise<SshTransport> {
  const policy: HostKeyPolicy = {
    knownHostsPath: options.knownHostsPath ?? join(os.homedir(), '.ssh', 'known_hosts'),
    globalKnownHostsPaths: options.globalKnownHostsPaths ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
    acceptNew: options.acceptNew ?? false,
  }
  const hops = [...target.proxyJump, {...target, proxyJump: []}]
  const clients: SshClient[] = []
  const notes: string[] = []
  let hostKey: HostKeyOutcome | undefined
  try {
    for (const [index, hop] of hops.entries()) {
      const last = index === hops.length - 1
      const scope: HopScope = {host: target.label, who: last ? target.label : `jump host ${hop.label} (on the way to ${target.label})`}
      const previous = clients[index - 1]
      const sock = previous ? await forward(previous, hop, scope, options.connectTimeoutMs ?? hop.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS) : undefined
      const opened = await openConnection(hop, scope, sock, options, policy, notes)
      clients.push(opened.client)
      hostKey = opened.hostKey
    }
  } catch (error) {
    for (const client of clients.reverse()) client.end()
    throw error
  }
  return makeTransport(target, clients, hostKey as HostKeyOutcome, notes)
}

/** Ask the bastion to open a TCP connection onwards; the channel becomes the next hop's socket. */
function forward(via: SshClient, hop: SshTarget, scope: HopScope, timeoutMs: number): Promise<Duplex> {
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

function openConnection(hop: SshTarget, scope: HopScope, sock: Duplex | undefined, options: SshConnectOptions, policy: HostKeyPolicy, notes: string[]): Promise<{client: SshClient; hostKey: HostKeyOutcome}> {
  const client = new Client()
  client.once('close', () => closedClients.add(client))
  const record: AuthRecord = {tried: [], exhausted: false}
  const connectMs = options.connectTimeoutMs ?? hop.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const authMs = options.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS
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
      if (error.level === 'agent' || (error.level === 'client-authentication' && !record.exhausted)) {
        notes.push(`${scope.who}: ${error.message}`)
        return
      }
      fail(hostKeyError ?? connectError(error, {hop, scope, phase, tcpConnected, record, timeoutMs: connectMs}))
    })
    client.on('connect', () => {
      tcpConnected = true
    })
    client.on('handshake', () => {
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

    const agentSocket = options.agentSocket === false ? undefined : (options.agentSocket ?? process.env.SSH_AUTH_SOCK)
    const identityFiles = [...new Set([...(options.identityFiles ?? []), ...hop.identityFiles])]
    const authHandler = makeAuthHandler(
      {
        who: `${hop.user}@${hop.label}`,
        username: hop.user,
        ...(agentSocket ? {agentSocket} : {}),
        identityFiles,
        ...(options.prompt ? {prompt: options.prompt} : {}),
        onPromptStart: () => clearTimeout(timer),
        onPromptEnd: () => arm(authMs),
      },
      record,
    )
    arm(connectMs)
    preferredHostKeyAlgorithms(hop, policy).then((serverHostKey) => {
      if (settled) return
      client.connect({
        ...(sock ? {sock} : {host: hop.host, port: hop.port}),
        username: hop.user,
        readyTimeout: 0,
        keepaliveInterval: options.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: options.keepaliveCountMax ?? 4,
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
    }, (error: unknown) => fail(connectError(error as Error, {hop, scope, phase, tcpConnected, record, timeoutMs: connectMs})))
  })
}

function makeTransport(target: SshTarget, clients: SshClient[], hostKey: HostKeyOutcome, notes: string[]): SshTransport {
  const client = clients[clients.length - 1] as SshClient
  const watchers = new Set<(error: HoistError) => void>()
  let lost: HoistError | undefined
  let lastError: string | undefined
  let closing = false
  client.on('error', (error: Error) => {
    lastError = error.message
  })
  client.on('close', () => {
    lost ??= closing
      ? new HoistError('SSH_FAILED', `The connection to ${target.label} was closed by Hoist while a command ran.`, 'Wait for commands to finish before closing the transport.', {host: target.label})
      : new HoistError('SSH_FAILED', `The connection to ${target.label} was lost${lastError ? ` (${lastError})` : ''}.`, 'Check the host and the network (a reboot, an sshd restart, a firewall idle timeout), then scan again.', {host: target.label})
    for (const watcher of [...watchers]) watcher(lost)
  })
  return {
    kind: 'ssh',
    label: target.label,
    hostKey,
    notes,
    exec: (command, execOptions) =>
      execOverSsh(client, target.label, command, execOptions, {
        lost: () => lost,
        watch: (onLost) => {
          watchers.add(onLost)
          return () => watchers.delete(onLost)
        },
      }),
    close: async () => {
      closing = true
      for (const each of [...clients].reverse()) await endClient(each)
    },
  }
}

const closedClients = new WeakSet<SshClient>()

function endClient(client: SshClient): Promise<void> {
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

let promptQueue: Promise<unknown> = Promise.resolve()

/** Questions on the terminal, one at a time even when hosts connect in parallel; undefined without a TTY. */
export function sshPrompterFromTty(): SshPrompter | undefined {
  if (!process.stdin.isTTY) return undefined
  const ask = (message: string): Promise<string> => {
    const answer = promptQueue.then(() => askPassword({message, mask: true}, {output: process.stderr}))
    promptQueue = answer.catch(() => undefined)
    return answer
  }
  return {password: ask, passphrase: ask}
}

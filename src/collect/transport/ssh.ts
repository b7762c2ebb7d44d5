import type {Socket} from 'node:net'
import os from 'node:os'
import {join} from 'node:path'
import type {Client as SshClient} from 'ssh2'
import {HoistError} from '../../errors.js'
import type {FileSource} from '../fetch/source.js'
import type {SshPrompter} from './ssh-auth.js'
import {DEFAULT_CONNECT_TIMEOUT_MS, endClient, forward, openConnection, type ConnectSettings} from './ssh-connection.js'
import {execOverSsh, type ConnectionWatch} from './ssh-exec.js'
import {acquireJumps} from './ssh-jumps.js'
import {openSftpSource} from './ssh-sftp.js'
import type {HopScope, HostKeyOutcome} from './ssh-hostkey.js'
import type {SshTarget} from './target.js'
import type {Transport} from './transport.js'

export type {SshPrompter} from './ssh-auth.js'
export type {HostKeyOutcome} from './ssh-hostkey.js'

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
  /** The TCP connection to a target without ProxyJump, opened already (dial.ts). */
  socket?: Socket
}

export interface SshTransport extends Transport {
  readonly kind: 'ssh'
  /** The final host's key, as checked. */
  readonly hostKey: HostKeyOutcome
  /** Things worth telling the user that did not stop the connection. */
  readonly notes: readonly string[]
  /** The host's files, read-only over SFTP on this connection (collect/fetch). */
  openFiles(): Promise<FileSource>
}

export async function connectSsh(target: SshTarget, options: SshConnectOptions = {}): Promise<SshTransport> {
  const agentSocket = options.agentSocket === false ? undefined : (options.agentSocket ?? (process.env.SSH_AUTH_SOCK || undefined))
  const settings: ConnectSettings = {
    policy: {
      knownHostsPath: options.knownHostsPath ?? join(os.homedir(), '.ssh', 'known_hosts'),
      globalKnownHostsPaths: options.globalKnownHostsPaths ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
      acceptNew: options.acceptNew ?? false,
    },
    ...(options.connectTimeoutMs !== undefined ? {connectTimeoutMs: options.connectTimeoutMs} : {}),
    authTimeoutMs: options.authTimeoutMs ?? 30_000,
    identityFiles: options.identityFiles ?? [],
    ...(agentSocket ? {agentSocket} : {}),
    ...(options.prompt ? {prompt: options.prompt} : {}),
    keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: options.keepaliveCountMax ?? 4,
  }
  const notes: string[] = []
  const final = {...target, proxyJump: []}
  const finalScope: HopScope = {host: target.label, who: target.label}
  if (target.proxyJump.length === 0) {
    const opened = await openConnection(final, finalScope, options.socket, settings, notes)
    return makeTransport(target, opened.client, opened.hostKey, notes, async () => undefined)
  }
  const connectTimeout = (hop: SshTarget) => options.connectTimeoutMs ?? hop.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  // The jump hosts are shared with the other targets behind them (ssh-jumps.ts).
  const jumps = await acquireJumps(target.proxyJump, async () => {
    const clients: SshClient[] = []
    try {
      for (const hop of target.proxyJump) {
        const scope: HopScope = {host: target.label, who: `jump host ${hop.label} (on the way to ${target.label})`}
        const previous = clients[clients.length - 1]
        const sock = previous ? await forward(previous, hop, scope, connectTimeout(hop)) : undefined
        clients.push((await openConnection(hop, scope, sock, settings, notes)).client)
      }
      return clients
    } catch (error) {
      for (const client of clients.reverse()) client.end()
      throw error
    }
  })
  try {
    const sock = await forward(jumps.last, final, finalScope, connectTimeout(final))
    const opened = await openConnection(final, finalScope, sock, settings, notes)
    return makeTransport(target, opened.client, opened.hostKey, notes, () => jumps.release())
  } catch (error) {
    await jumps.release()
    throw error
  }
}

function makeTransport(target: SshTarget, client: SshClient, hostKey: HostKeyOutcome, notes: string[], releaseJumps: () => Promise<void>): SshTransport {
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
  const connection: ConnectionWatch = {
    lost: () => lost,
    watch: (onLost) => {
      watchers.add(onLost)
      return () => watchers.delete(onLost)
    },
  }
  return {
    kind: 'ssh',
    label: target.label,
    hostKey,
    notes,
    exec: (command, execOptions) => execOverSsh(client, target.label, command, execOptions, connection),
    openFiles: () => openSftpSource(client, target.label, connection),
    close: async () => {
      closing = true
      await endClient(client)
      await releaseJumps()
    },
  }
}

let promptQueue: Promise<unknown> = Promise.resolve()

/** Questions on the terminal, one at a time even when hosts connect in parallel; undefined without a TTY. */
export function sshPrompterFromTty(): SshPrompter | undefined {
  if (!process.stdin.isTTY) return undefined
  const ask = (message: string): Promise<string> => {
    // Loaded on first use: most scans never prompt, and the library is slow to import.
    const answer = promptQueue.then(async () => {
      const {password} = await import('@inquirer/prompts')
      return password({message, mask: true}, {output: process.stderr})
    })
    promptQueue = answer.catch(() => undefined)
    return answer
  }
  return {password: ask, passphrase: ask}
}

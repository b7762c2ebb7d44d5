import type {Client, ClientChannel} from 'ssh2'
import {HoistError} from '../../errors.js'
import type {ExecOptions, ExecResult} from './transport.js'

const STDERR_CAP = 64 * 1024

/** What exec needs to know about the connection under it. */
export interface ConnectionWatch {
  /** The error to report once the connection is gone, else undefined. */
  lost(): HoistError | undefined
  /** Called if the connection goes while the command runs; returns the unsubscribe. */
  watch(onLost: (error: HoistError) => void): () => void
}

interface ChannelInternals {
  outgoing?: {id?: number; state?: string}
  _client?: {_protocol?: {signal?: (channel: number, signal: string) => void}}
}

/**
 * A closed channel does not end the remote process (sshd only closes its pipes), so ask sshd to KILL it
 * (OpenSSH >= 7.9 honours this). ssh2's channel.signal() is a silent no-op once stdin has been ended,
 * which exec always does, so this goes one level down to the same protocol call, guarded by feature checks.
 */
function killRemote(ch: ClientChannel): void {
  const internals = ch as unknown as ChannelInternals
  const protocol = internals._client?._protocol
  const id = internals.outgoing?.id
  const state = internals.outgoing?.state
  if ((state !== 'open' && state !== 'eof') || typeof id !== 'number' || typeof protocol?.signal !== 'function') return
  try {
    protocol.signal(id, 'KILL')
  } catch {}
}

/**
 * One exec channel. Timeouts and the output cap end the channel and resolve with exitCode null;
 * only a lost connection rejects, since then nothing about the command can be trusted.
 */
export function execOverSsh(client: Client, label: string, command: string, options: ExecOptions, connection: ConnectionWatch): Promise<ExecResult> {
  const lostAlready = connection.lost()
  if (lostAlready) return Promise.reject(lostAlready)
  const started = Date.now()
  return new Promise<ExecResult>((resolve, reject) => {
    const stdout: Buffer[] = []
    let stdoutBytes = 0
    const stderr: Buffer[] = []
    let stderrBytes = 0
    let exitCode: number | null = null
    let sawExit = false
    let timedOut = false
    let truncated = false
    let done = false
    let channel: ClientChannel | undefined

    const cleanup = (): void => {
      done = true
      clearTimeout(timer)
      unwatch()
    }
    const settle = (): void => {
      if (done) return
      cleanup()
      resolve({
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitCode: timedOut || truncated ? null : exitCode,
        timedOut,
        truncated,
        durationMs: Date.now() - started,
      })
    }
    const fail = (error: HoistError): void => {
      if (done) return
      cleanup()
      reject(error)
    }
    const stop = (ch: ClientChannel | undefined): void => {
      if (!ch) return
      killRemote(ch)
      try {
        ch.close()
      } catch {}
    }

    const unwatch = connection.watch(fail)
    const timer = setTimeout(() => {
      timedOut = true
      stop(channel)
      settle()
    }, options.timeoutMs)

    client.exec(command, (error, ch) => {
      if (error) {
        fail(new HoistError('SSH_FAILED', `Could not start a command on ${label}: ${error.message}`, 'The host may limit sessions per connection (MaxSessions in sshd_config) or be shutting down; try again, with a lower --concurrency if scanning many hosts.', {host: label, cause: error}))
        return
      }
      if (done) {
        stop(ch)
        return
      }
      channel = ch
      ch.on('data', (chunk: Buffer) => {
        if (done) return
        const room = options.maxBytes - stdoutBytes
        const kept = chunk.length > room ? chunk.subarray(0, room) : chunk
        if (kept.length > 0) {
          stdout.push(kept)
          stdoutBytes += kept.length
          options.onStdout?.(kept)
        }
        if (chunk.length > room) {
          truncated = true
          stop(ch)
          settle()
        }
      })
      ch.stderr.on('data', (chunk: Buffer) => {
        // Keep reading past the cap so a chatty command is not stalled by the channel window.
        const room = STDERR_CAP - stderrBytes
        if (room <= 0) return
        const kept = chunk.length > room ? chunk.subarray(0, room) : chunk
        stderr.push(kept)
        stderrBytes += kept.length
      })
      ch.on('exit', (code: number | null) => {
        sawExit = true
        exitCode = typeof code === 'number' ? code : null
      })
      ch.on('close', () => {
        const lost = connection.lost()
        if (lost && !sawExit) fail(lost)
        else settle()
      })
      ch.on('error', () => {})
      ch.end(options.stdin ?? '')
    })
  })
}

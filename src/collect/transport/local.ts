import {spawn} from 'node:child_process'
import type {ExecOptions, ExecResult, Transport} from './transport.js'

const STDERR_CAP = 64 * 1024

/** This machine, through the same interface as SSH: `hoist scan --local`. */
export function localTransport(label = 'localhost'): Transport {
  return {
    kind: 'local',
    label,
    exec: (command, options) => execLocal(command, options),
    close: async () => {},
  }
}

function execLocal(command: string, options: ExecOptions): Promise<ExecResult> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {stdio: ['pipe', 'pipe', 'pipe'], detached: true})
    const chunks: Buffer[] = []
    let bytes = 0
    let stderr = ''
    let timedOut = false
    let truncated = false
    const stop = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    const timer = setTimeout(() => {
      timedOut = true
      stop()
    }, options.timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return
      const room = options.maxBytes - bytes
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk
      chunks.push(kept)
      bytes += kept.length
      options.onStdout?.(kept)
      if (chunk.length > room) {
        truncated = true
        stop()
      }
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_CAP) stderr += chunk.toString('utf8').slice(0, STDERR_CAP - stderr.length)
    })
    child.stdin.on('error', () => {})
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({
        stdout: Buffer.concat(chunks),
        stderr,
        exitCode: timedOut || truncated ? null : code,
        timedOut,
        truncated,
        durationMs: performance.now() - started,
      })
    })
    child.stdin.end(options.stdin ?? '')
  })
}

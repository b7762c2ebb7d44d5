import {spawn} from 'node:child_process'

/** Build logs of a large image run to megabytes; the end is where the error is, so the tail is kept. */
const LOG_CAP = 1024 * 1024
/** What `exec` hands back on stdout; a check that reads more than this is reading the wrong thing. */
const STDOUT_CAP = 16 * 1024 * 1024

export interface ProcessOptions {
  timeoutMs: number
  stdin?: string | Buffer
  /** Each complete line of stdout and stderr as it arrives: build progress for the terminal. */
  onLine?: (line: string) => void
}

export interface ProcessResult {
  /** null when the process was killed (timeout) or could not start. */
  exitCode: number | null
  stdout: Buffer
  stderr: string
  /** stdout and stderr interleaved in arrival order, the tail kept when it overflows. */
  log: string
  timedOut: boolean
  /** The program is not installed (ENOENT): a fact for detection, not a failure. */
  missing: boolean
  seconds: number
}

/**
 * Runs an engine CLI with an argv array (never a shell: image tags and paths come from plans the
 * consultant may edit). The environment passes through, so CONTAINERS_CONF and DOCKER_HOST set
 * by the caller reach the engine. The child leads its own process group, so a timeout kills the
 * client and its helpers; containers started detached belong to the engine and survive it.
 */
export function runProcess(command: string, argv: string[], options: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(command, argv, {stdio: ['pipe', 'pipe', 'pipe'], detached: true})
    const stdout: Buffer[] = []
    let stdoutBytes = 0
    let stderr = ''
    const log = new TailBuffer(LOG_CAP)
    const lines = {stdout: '', stderr: ''}
    let timedOut = false
    let missing = false
    let settled = false
    let drain: NodeJS.Timeout | undefined

    const timer = setTimeout(() => {
      timedOut = true
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }, options.timeoutMs)

    const feed = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
      const text = chunk.toString('utf8')
      log.push(text)
      if (!options.onLine) return
      const parts = (lines[stream] + text).split(/\r?\n/)
      lines[stream] = parts.pop() ?? ''
      for (const line of parts) options.onLine(line)
    }
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdoutBytes < STDOUT_CAP) {
        const kept = chunk.subarray(0, STDOUT_CAP - stdoutBytes)
        stdout.push(kept)
        stdoutBytes += kept.length
      }
      feed('stdout', chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < LOG_CAP) stderr += chunk.toString('utf8').slice(0, LOG_CAP - stderr.length)
      feed('stderr', chunk)
    })
    child.stdin.on('error', () => {})

    const finish = (exitCode: number | null, error?: Error) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(drain)
      for (const rest of [lines.stdout, lines.stderr]) if (rest && options.onLine) options.onLine(rest)
      if (error) log.push(`${command}: ${error.message}\n`)
      if (timedOut) log.push(`${command}: killed after ${Math.round(options.timeoutMs / 1000)} s\n`)
      resolve({
        exitCode: timedOut ? null : exitCode,
        stdout: Buffer.concat(stdout),
        stderr,
        log: log.text(),
        timedOut,
        missing,
        seconds: (performance.now() - started) / 1000,
      })
    }
    child.on('error', (error: NodeJS.ErrnoException) => {
      missing = error.code === 'ENOENT'
      finish(null, error)
    })
    child.on('close', (code) => finish(code))
    // 'close' waits for every holder of the pipes: a helper the engine left behind (a conmon, a
    // daemonised child) could hold them for ever, so the exit of the client itself also ends it.
    child.on('exit', (code) => {
      drain = setTimeout(() => finish(code), 2000)
    })
    child.stdin.end(options.stdin ?? '')
  })
}

/** Keeps the last `cap` characters of what it is given, and says how much it dropped. */
class TailBuffer {
  private chunks: string[] = []
  private size = 0
  private dropped = 0

  constructor(private readonly cap: number) {}

  push(text: string): void {
    this.chunks.push(text)
    this.size += text.length
    while (this.size > this.cap && this.chunks.length > 1) {
      const first = this.chunks.shift() ?? ''
      this.size -= first.length
      this.dropped += first.length
    }
  }

  text(): string {
    const joined = this.chunks.join('')
    const over = Math.max(0, joined.length - this.cap)
    const dropped = this.dropped + over
    return dropped > 0 ? `[… ${dropped} characters of earlier output dropped …]\n${joined.slice(over)}` : joined
  }
}

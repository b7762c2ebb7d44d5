/** What collect needs from a host: run one command, bounded in time and bytes. */
export interface ExecOptions {
  /** Written to the command's standard input, then closed. */
  stdin?: string
  /** The command is ended (channel closed / process killed) after this long. */
  timeoutMs: number
  /** Output beyond this many bytes of stdout is dropped and the command ended. */
  maxBytes: number
  /** Called with each chunk of stdout as it arrives (progress, streaming parse). */
  onStdout?: (chunk: Buffer) => void
}

export interface ExecResult {
  stdout: Buffer
  /** The first 64 KiB of stderr, as text. */
  stderr: string
  /** null when the command was ended by a signal, a timeout or the output cap. */
  exitCode: number | null
  timedOut: boolean
  truncated: boolean
  durationMs: number
}

export type TransportKind = 'ssh' | 'local'

export interface Transport {
  readonly kind: TransportKind
  /** The host as the user named it, for messages. */
  readonly label: string
  exec(command: string, options: ExecOptions): Promise<ExecResult>
  close(): Promise<void>
}

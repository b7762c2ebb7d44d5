import pLimit from 'p-limit'
import {HoistError, isHoistError, type ErrorCode} from '../errors.js'

export interface BatchJob<T> {
  /** The host's workspace name. */
  name: string
  run: () => Promise<T>
}

export type BatchEvent =
  | {type: 'start'; name: string; attempt: number}
  | {type: 'retry'; name: string; attempt: number; delayMs: number; error: HoistError}
  | {type: 'done'; name: string; ms: number}
  | {type: 'failed'; name: string; ms: number; error: HoistError}
  | {type: 'skipped'; name: string; reason: string}

export type BatchOutcome<T> = {name: string; status: 'done'; value: T; ms: number} | {name: string; status: 'failed'; error: HoistError; ms: number} | {name: string; status: 'skipped'; reason: string}

export interface BatchOptions {
  concurrency: number
  /** Further attempts after a transient failure (never after auth, host-key or probe failures). */
  retries: number
  /** Backoff before attempt n+1: base × 3^n (1 s, 3 s, 9 s …). */
  backoffMs: number
  skip?: (name: string) => string | undefined
  onEvent?: (event: BatchEvent) => void
}

/** Failures worth another try: the network, not the host's answer or our credentials. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['SSH_UNREACHABLE', 'SSH_TIMEOUT', 'SSH_FAILED'])

export function isTransient(error: HoistError): boolean {
  return TRANSIENT.has(error.code)
}

/**
 * Runs one job per host, `concurrency` at a time. One host's failure never stops the others: it
 * becomes that host's outcome. Errors that are not HoistErrors are bugs and are rethrown.
 */
export async function runBatch<T>(jobs: BatchJob<T>[], options: BatchOptions): Promise<BatchOutcome<T>[]> {
  const limit = pLimit(Math.max(1, options.concurrency))
  const emit = options.onEvent ?? (() => {})
  return Promise.all(
    jobs.map((job) =>
      limit(async (): Promise<BatchOutcome<T>> => {
        const reason = options.skip?.(job.name)
        if (reason) {
          emit({type: 'skipped', name: job.name, reason})
          return {name: job.name, status: 'skipped', reason}
        }
        const started = performance.now()
        for (let attempt = 1; ; attempt++) {
          emit({type: 'start', name: job.name, attempt})
          try {
            const value = await job.run()
            const ms = Math.round(performance.now() - started)
            emit({type: 'done', name: job.name, ms})
            return {name: job.name, status: 'done', value, ms}
          } catch (error) {
            if (!isHoistError(error)) throw error
            if (isTransient(error) && attempt <= options.retries) {
              const delayMs = options.backoffMs * 3 ** (attempt - 1)
              emit({type: 'retry', name: job.name, attempt, delayMs, error})
              await new Promise((resolve) => setTimeout(resolve, delayMs))
              continue
            }
            const ms = Math.round(performance.now() - started)
            emit({type: 'failed', name: job.name, ms, error})
            return {name: job.name, status: 'failed', error, ms}
          }
        }
      }),
    ),
  )
}

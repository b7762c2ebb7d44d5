import {isHoistError} from '../../errors.js'
import {isWithinAny} from './host-path.js'
import type {CapName, FetchCaps, FetchReport, FetchSink} from './report.js'
import {SecretNames} from './secret-text.js'
import {isSourcePathError, type FileSource} from './source.js'

/** The state one fetchPaths call shares between the walk, the file copier and discovery. */
export interface FetchRun {
  source: FileSource
  sink: FetchSink
  caps: FetchCaps
  report: FetchReport
  names: SecretNames
  /** The requested paths, then each discovered folder once copied: links may point anywhere inside. */
  roots: string[]
  /** The requested paths alone: what is named inside them needs no discovering. */
  requested: readonly string[]
  /** Each requested path's role; a request inside another one gives its own role to what is below it. */
  roles: ReadonlyMap<string, string>
  /** Every path walked: a discovered folder holding a requested path must not copy it twice. */
  seen: Set<string>
  /** Files and symlinks written, for maxFiles. */
  written: number
  /** Links are made last, once every root is known and no later write can pass through one. */
  links: {path: string; target: string}[]
  /** 0 while the requested paths are walked, 1 for what they name, and so on. */
  level: number
  /** Paths named by what this level copied, first mention kept, for the next level. */
  named: Map<string, {file: string; line: number}>
  /** Caps recorded once per call (the rest of what they stopped is in skipped). */
  capsOnce: Set<CapName>
  /** Ports already in report.namedPorts: each is recorded at its first mention. */
  notedPorts: Set<number>
  /** Folders already in report.runtimeDirs: each is recorded at its first mention. */
  notedRuntimeDirs: Set<string>
}

/** Record where a cap bit. Per-path caps record every path; the call-wide ones only the first. */
export function capHit(run: FetchRun, cap: CapName, path: string, once = false): void {
  if (once && run.capsOnce.has(cap)) return
  run.capsOnce.add(cap)
  run.report.capsHit.push({cap, limit: run.caps[cap] as number, path})
}

/** maxFiles: true (and recorded) when nothing more may be written; `what` says what that stops. */
export function atMaxFiles(run: FetchRun, path: string, what = ''): boolean {
  if (run.written < run.caps.maxFiles) return false
  capHit(run, 'maxFiles', path, true)
  skip(run, path, `maxFiles (${run.caps.maxFiles}) reached${what}`)
  return true
}

export function skip(run: FetchRun, path: string, reason: string): void {
  run.report.skipped.push({path, reason})
}

/** A path mentioned by a copied file (or link), kept for the next discovery level. */
export function noteNamed(run: FetchRun, path: string, file: string, line: number): void {
  if (!run.caps.discover || run.level >= run.caps.discoverDepth) return
  if (isWithinAny(path, run.requested) || run.named.has(path)) return
  run.named.set(path, {file, line})
}

/** A local port a copied file names, recorded where it is first mentioned. */
export function notePort(run: FetchRun, port: number, file: string, line: number): void {
  if (run.notedPorts.has(port)) return
  run.notedPorts.add(port)
  run.report.namedPorts.push({port, file, line})
}

/** A log or runtime folder a copied file names, recorded where it is first mentioned. */
export function noteRuntimeDir(run: FetchRun, path: string, file: string, line: number): void {
  if (run.notedRuntimeDirs.has(path)) return
  run.notedRuntimeDirs.add(path)
  run.report.runtimeDirs.push({path, namedIn: {file, line}})
}

/**
 * What one path's trouble means. The host's refusals (permission denied, vanished, swapped) are
 * data and the fetch goes on; the build context refusing a hostile path is a skip; anything else
 * (a lost connection, a full disk) ends the fetch.
 */
export function recordTrouble(run: FetchRun, path: string, error: unknown): void {
  if (isSourcePathError(error)) {
    if (error.problem === 'too-large') {
      capHit(run, 'maxFileBytes', path)
      skip(run, path, `larger than maxFileBytes (${run.caps.maxFileBytes} bytes)`)
      return
    }
    run.report.errors.push({path, message: error.message})
    return
  }
  if (isHoistError(error) && error.code === 'WORKSPACE_INVALID') {
    skip(run, path, `refused by the build context: ${error.message}`)
    return
  }
  throw error
}

/** Permission bits as written: setuid and setgid never reach an image from a scanned host. */
export function safeMode(run: FetchRun, path: string, hostMode: number): number {
  if ((hostMode & 0o6000) === 0) return hostMode
  run.report.setIdStripped.push({path, hostMode})
  return hostMode & ~0o6000
}

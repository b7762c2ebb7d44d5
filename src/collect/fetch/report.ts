/**
 * What a read-only fetch of a host's files produced. Everything here is safe to write to disk and
 * show: paths, modes, digests and secret *names*, never a secret's value.
 */

/** One path a plan names, with the role it plays for the service (config, app, content, …). */
export interface FetchRequest {
  path: string
  role: string
}

export interface FetchCaps {
  /** A file larger than this is not copied. */
  maxFileBytes: number
  /** Bytes copied by one fetchPaths call; files that no longer fit are skipped, smaller ones still copied. */
  maxTotalBytes: number
  /** Files and symlinks written by one call. */
  maxFiles: number
  /** Directory levels below a requested (or discovered) path. */
  maxDepth: number
  /** Look for absolute paths named inside copied text files and fetch those too. */
  discover: boolean
  /** 1: paths named in requested files are chased; paths named in discovered files are not. */
  discoverDepth: number
  /** Candidates checked on the host per call, so a hostile file naming a million paths stays cheap. */
  maxDiscovered: number
  /**
   * A discovered directory is copied only below these: a large one is usually data (a volume) and the
   * plan should name it on purpose.
   */
  maxDiscoveredDirFiles: number
  maxDiscoveredDirBytes: number
  /** Never copied when only discovered: the service's data volumes (their data moves with migrate.sh). */
  exclude: string[]
}

const MiB = 1024 * 1024

export const DEFAULT_FETCH_CAPS: FetchCaps = {
  maxFileBytes: 64 * MiB,
  maxTotalBytes: 512 * MiB,
  maxFiles: 20_000,
  maxDepth: 32,
  discover: true,
  discoverDepth: 1,
  maxDiscovered: 500,
  maxDiscoveredDirFiles: 500,
  maxDiscoveredDirBytes: 16 * MiB,
  exclude: [],
}

export type CapName = 'maxFileBytes' | 'maxTotalBytes' | 'maxFiles' | 'maxDepth' | 'maxDiscovered' | 'maxDiscoveredDirFiles' | 'maxDiscoveredDirBytes'

export interface FetchedFile {
  path: string
  size: number
  /** As written: permission bits with setuid/setgid removed. */
  mode: number
  uid: number
  gid: number
  /** Of the bytes written (after redaction). */
  sha256: string
  role: string
  /** Values replaced by a placeholder in this file. */
  redactions: number
}

export interface FetchedDir {
  path: string
  mode: number
  uid: number
  gid: number
}

export interface Discovered {
  path: string
  type: 'file' | 'dir'
  /** line 0: named by the target of a symbolic link at `file`. */
  namedIn: {file: string; line: number}
  copied: boolean
  reason?: string
}

export interface FetchReport {
  files: FetchedFile[]
  dirs: FetchedDir[]
  symlinks: {path: string; target: string}[]
  skipped: {path: string; reason: string}[]
  capsHit: {cap: CapName; limit: number; path: string}[]
  /** One entry per place a value was replaced; `name` is the placeholder's name. */
  secrets: {name: string; file: string; line: number}[]
  /** Key files and keystores, not copied: to be mounted at run time under `name`. */
  secretFiles: {name: string; path: string}[]
  /** Set-user-ID and set-group-ID bits removed from what was copied, with the host's mode. */
  setIdStripped: {path: string; hostMode: number}[]
  discovered: Discovered[]
  /** Log and runtime folders the copied files name (/var/log/app, /run/app): created empty in the image. */
  runtimeDirs: {path: string; namedIn: {file: string; line: number}}[]
  /** Local ports the copied files point at (`port = 5432`, `localhost:6379`): dependencies on this host's services. */
  namedPorts: {port: number; file: string; line: number}[]
  /** What could not be read (permission denied, vanished, changed while read): data, not failures. */
  errors: {path: string; message: string}[]
  bytes: number
}

/**
 * Where fetched files go. Paths are the host's absolute paths; the sink decides where they land and
 * must refuse anything that would leave its folder (workspace/context.ts).
 */
export interface FetchSink {
  mkdir(hostPath: string, mode: number): Promise<void>
  writeFile(hostPath: string, data: Buffer, mode: number): Promise<void>
  symlink(hostPath: string, target: string): Promise<void>
}

/** The placeholder written where a secret value was; NAME is an environment-style name. */
export function secretPlaceholder(name: string): string {
  return `@@HOIST_SECRET:${name}@@`
}

export function emptyReport(): FetchReport {
  return {files: [], dirs: [], symlinks: [], skipped: [], capsHit: [], secrets: [], secretFiles: [], setIdStripped: [], discovered: [], runtimeDirs: [], namedPorts: [], errors: [], bytes: 0}
}

/**
 * A host's files seen read-only: over SFTP (transport/ssh-sftp.ts) or as a local folder
 * (dir-source.ts). Nothing here follows a symlink: every call has lstat semantics on the last
 * component, so a link on the host is reported as a link and never read through.
 */

export interface FileStat {
  type: 'file' | 'dir' | 'symlink' | 'other'
  size: number
  /** Permission bits, setuid/setgid/sticky included (mode & 0o7777). */
  mode: number
  uid: number
  gid: number
  mtimeMs: number
}

export interface FileSource {
  /** The host, for messages. */
  label: string
  /** undefined when the path does not exist. */
  lstat(path: string): Promise<FileStat | undefined>
  /** Entry names, without `.` and `..`. */
  readdir(path: string): Promise<string[]>
  readlink(path: string): Promise<string>
  /** A regular file's bytes; throws SourcePathError 'too-large' past maxBytes, 'changed' if it was swapped. */
  read(path: string, maxBytes: number): Promise<Buffer>
  close(): Promise<void>
}

export type PathProblem = 'missing' | 'denied' | 'too-large' | 'changed' | 'not-allowed' | 'other'

/**
 * A problem with one path: recorded in the report and the fetch goes on. Anything else a source
 * throws (a lost connection) ends the fetch.
 */
export class SourcePathError extends Error {
  readonly path: string
  readonly problem: PathProblem

  constructor(path: string, problem: PathProblem, message: string) {
    super(message)
    this.name = 'SourcePathError'
    this.path = path
    this.problem = problem
  }
}

export function isSourcePathError(error: unknown): error is SourcePathError {
  return error instanceof SourcePathError
}

const S_IFMT = 0o170000
const S_IFREG = 0o100000
const S_IFDIR = 0o040000
const S_IFLNK = 0o120000

/** POSIX st_mode to our four kinds: SFTP attributes and Node's Stats both carry the raw mode. */
export function fileType(mode: number): FileStat['type'] {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return 'file'
    case S_IFDIR:
      return 'dir'
    case S_IFLNK:
      return 'symlink'
    default:
      return 'other'
  }
}

export function toFileStat(raw: {mode: number; size: number; uid: number; gid: number; mtimeMs: number}): FileStat {
  return {type: fileType(raw.mode), size: raw.size, mode: raw.mode & 0o7777, uid: raw.uid, gid: raw.gid, mtimeMs: raw.mtimeMs}
}

/**
 * True when an opened handle is the file lstat saw. Between lstat and open a hostile host could swap
 * the file for a link to /etc/shadow; SFTP has no O_NOFOLLOW, so the opened file must look the same.
 */
export function sameFile(before: FileStat, after: FileStat): boolean {
  return after.type === 'file' && before.type === 'file' && before.size === after.size && before.mode === after.mode && before.uid === after.uid && before.gid === after.gid && Math.trunc(before.mtimeMs / 1000) === Math.trunc(after.mtimeMs / 1000)
}

import type {Client, SFTPWrapper, Stats} from 'ssh2'
import {HoistError} from '../../errors.js'
import {SourcePathError, sameFile, toFileStat, type FileSource, type FileStat} from '../fetch/source.js'
import type {ConnectionWatch} from './ssh-exec.js'

/** SFTP status codes (draft-ietf-secsh-filexfer-02), which OpenSSH maps errno onto. */
const NO_SUCH_FILE = 2
const PERMISSION_DENIED = 3
const RANGE = 256 * 1024
const IN_FLIGHT = 4
const DEFAULT_OP_TIMEOUT_MS = 60_000

/**
 * The host's files over SFTP, asking only for reads: lstat, readdir, readlink, open 'r', fstat, read.
 * A server run as `internal-sftp -R` (read-only) serves all of it. What one path does wrong (missing,
 * denied) is a SourcePathError for the report; a lost connection or a silent server is FETCH_FAILED.
 */
export function openSftpSource(client: Client, label: string, connection: ConnectionWatch, opTimeoutMs = DEFAULT_OP_TIMEOUT_MS): Promise<FileSource> {
  const failed = (what: string, detail?: string): HoistError =>
    new HoistError('FETCH_FAILED', `Reading files from ${label} over SFTP failed: ${what}${detail ? ` (${detail})` : ''}.`, 'Check the connection and that the host\'s sshd offers SFTP (a Subsystem sftp line, internal-sftp -R is enough); then run generate again.', {host: label})
  const lost = connection.lost()
  if (lost) return Promise.reject(failed('the connection is gone', lost.message))
  return new Promise((resolve, reject) => {
    client.sftp((error, sftp) => {
      if (error) reject(failed('the host refused an SFTP session', error.message))
      else resolve(sftpSource(sftp, label, connection, opTimeoutMs, failed))
    })
  })
}

function sftpSource(sftp: SFTPWrapper, label: string, connection: ConnectionWatch, opTimeoutMs: number, failed: (what: string, detail?: string) => HoistError): FileSource {
  let closed = false
  // ssh2 fails every pending request with "No response from server" once the channel goes.
  sftp.on('close', () => {
    closed = true
  })
  sftp.on('error', () => {})

  const call = <T>(path: string, op: (done: (error: Error | undefined | null, value?: T) => void) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const gone = connection.lost()
      if (gone || closed) {
        reject(failed('the connection is gone', gone?.message))
        return
      }
      const timer = setTimeout(() => {
        // A server that stops answering one request will not answer the next: later calls fail at once.
        closed = true
        reject(failed(`the host stopped answering (${path})`))
      }, opTimeoutMs)
      op((error, value) => {
        clearTimeout(timer)
        if (!error) resolve(value as T)
        else reject(problem(path, error))
      })
    })

  const problem = (path: string, error: Error & {code?: unknown}): Error => {
    if (error.code === NO_SUCH_FILE) return new SourcePathError(path, 'missing', `${path}: no such file or directory`)
    if (error.code === PERMISSION_DENIED) return new SourcePathError(path, 'denied', `${path}: permission denied`)
    if (typeof error.code === 'number' && !closed && !connection.lost()) return new SourcePathError(path, 'other', `${path}: ${error.message}`)
    return failed('the connection was lost', connection.lost()?.message ?? error.message)
  }

  const lstat = async (path: string): Promise<FileStat | undefined> => {
    try {
      return asFileStat(await call<Stats>(path, (done) => sftp.lstat(path, done)))
    } catch (error) {
      if (error instanceof SourcePathError && error.problem === 'missing') return undefined
      throw error
    }
  }

  const read = async (path: string, maxBytes: number): Promise<Buffer> => {
    const before = await lstat(path)
    if (before?.type !== 'file') throw new SourcePathError(path, 'changed', `${path}: no longer a regular file`)
    if (before.size > maxBytes) throw new SourcePathError(path, 'too-large', `${path}: ${before.size} bytes, more than ${maxBytes}`)
    const handle = await call<Buffer>(path, (done) => sftp.open(path, 'r', done))
    try {
      // SFTP cannot open without following a link, so the opened file must be the one lstat saw.
      const opened = asFileStat(await call<Stats>(path, (done) => sftp.fstat(handle, done)))
      if (!sameFile(before, opened)) throw new SourcePathError(path, 'changed', `${path}: changed or was replaced while it was read`)
      return await readWhole(path, handle, before.size)
    } finally {
      sftp.close(handle, () => {})
    }
  }

  /** Ranges read a few at a time (one round trip per range is slow over a WAN), then one byte past the end to see growth. */
  const readWhole = async (path: string, handle: Buffer, size: number): Promise<Buffer> => {
    const buffer = Buffer.alloc(size)
    const starts: number[] = []
    for (let start = 0; start < size; start += RANGE) starts.push(start)
    const readRange = async (start: number, end: number): Promise<number> => {
      let at = start
      while (at < end) {
        const got = await call<number>(path, (done) => sftp.read(handle, buffer, at, end - at, at, (error, bytes) => done(error, bytes)))
        if (got === 0) break
        at += got
      }
      return at - start
    }
    const worker = async (): Promise<void> => {
      for (let start = starts.shift(); start !== undefined; start = starts.shift()) {
        const end = Math.min(start + RANGE, size)
        if ((await readRange(start, end)) !== end - start) throw new SourcePathError(path, 'changed', `${path}: shrank while it was read`)
      }
    }
    await Promise.all(Array.from({length: Math.min(IN_FLIGHT, starts.length)}, worker))
    const extra = await call<number>(path, (done) => sftp.read(handle, Buffer.alloc(1), 0, 1, size, (error, bytes) => done(error, bytes)))
    if (extra > 0) throw new SourcePathError(path, 'changed', `${path}: grew while it was read`)
    return buffer
  }

  return {
    label,
    lstat,
    readdir: async (path) => (await call<{filename: string}[]>(path, (done) => sftp.readdir(path, done))).map((entry) => entry.filename),
    readlink: (path) => call<string>(path, (done) => sftp.readlink(path, done)),
    read,
    close: async () => {
      if (!closed) sftp.end()
    },
  }
}

function asFileStat(stats: Stats): FileStat {
  return toFileStat({mode: stats.mode, size: stats.size, uid: stats.uid, gid: stats.gid, mtimeMs: stats.mtime * 1000})
}

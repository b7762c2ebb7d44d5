import {constants} from 'node:fs'
import {lstat, open, readdir, readlink} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {hostPathProblem, normaliseHostPath} from './host-path.js'
import {SourcePathError, toFileStat, type FileSource, type FileStat} from './source.js'

const MAX_LINK_HOPS = 40

/**
 * The local filesystem seen as a host whose `/` is `root`: '/' for `hoist scan --local`, or a folder
 * holding an unpacked copy of an air-gapped host. The copy is as untrusted as the host, so links in
 * the middle of a path are resolved the way a chroot would (an absolute target starts again at root,
 * `..` stops there) and the last component is never followed: nothing outside root is ever read.
 */
export function dirSource(root: string, label = root): FileSource {
  const base = resolve(root)
  // Parent folders already resolved: a walk asks for the same ones many times.
  const parents = new Map<string, string>()

  const local = async (path: string): Promise<string> => {
    const problem = hostPathProblem(path)
    if (problem) throw new SourcePathError(path, 'not-allowed', `${path}: ${problem}`)
    const parts = normaliseHostPath(path).split('/').filter(Boolean)
    const last = parts.pop()
    if (last === undefined) return base
    const parentKey = parts.join('/')
    let parent = parents.get(parentKey)
    if (parent === undefined) {
      parent = await resolveInRoot(base, path, parts)
      if (parents.size > 10_000) parents.clear()
      parents.set(parentKey, parent)
    }
    return join(parent, last)
  }

  const stat = async (path: string): Promise<FileStat | undefined> => {
    try {
      const s = await lstat(await local(path))
      return toFileStat({mode: s.mode, size: s.size, uid: s.uid, gid: s.gid, mtimeMs: s.mtimeMs})
    } catch (error) {
      if (isMissing(error)) return undefined
      throw pathError(path, error)
    }
  }

  return {
    label,
    lstat: stat,
    readdir: async (path) => {
      // readdir follows a link: refuse unless lstat says this is a directory.
      const s = await stat(path)
      if (s?.type !== 'dir') throw new SourcePathError(path, s ? 'other' : 'missing', `${path}: not a directory`)
      return readdir(await local(path)).catch((error: unknown) => Promise.reject(pathError(path, error)))
    },
    readlink: async (path) => readlink(await local(path)).catch((error: unknown) => Promise.reject(pathError(path, error))),
    read: async (path, maxBytes) => readNoFollow(path, await local(path), maxBytes),
    close: async () => {},
  }
}

/** Host path components → a real folder under base, following links inside the root only. */
async function resolveInRoot(base: string, path: string, parts: string[]): Promise<string> {
  const queue = [...parts]
  const done: string[] = []
  let hops = 0
  while (queue.length > 0) {
    const part = queue.shift() as string
    if (part === '.' || part === '') continue
    if (part === '..') {
      done.pop()
      continue
    }
    const here = join(base, ...done, part)
    const s = await lstat(here).catch((error: unknown) => Promise.reject(isMissing(error) ? new SourcePathError(path, 'missing', `${path}: no such file or directory`) : pathError(path, error)))
    if (!s.isSymbolicLink()) {
      done.push(part)
      continue
    }
    if (++hops > MAX_LINK_HOPS) throw new SourcePathError(path, 'other', `${path}: too many levels of symbolic links`)
    const target = await readlink(here)
    if (target.startsWith('/')) done.length = 0
    queue.unshift(...target.split('/'))
  }
  return join(base, ...done)
}

/** O_NOFOLLOW refuses a link swapped in after lstat; O_NONBLOCK keeps a fifo swapped in from hanging the open. */
async function readNoFollow(path: string, file: string, maxBytes: number): Promise<Buffer> {
  let handle
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    throw pathError(path, error)
  }
  try {
    const s = await handle.stat()
    if (!s.isFile()) throw new SourcePathError(path, 'changed', `${path}: no longer a regular file`)
    if (s.size > maxBytes) throw new SourcePathError(path, 'too-large', `${path}: ${s.size} bytes, more than ${maxBytes}`)
    // One byte more than allowed tells a file that grew since the stat from one that did not.
    const buffer = Buffer.alloc(s.size + 1)
    let got = 0
    for (;;) {
      const {bytesRead} = await handle.read(buffer, got, buffer.length - got, got)
      if (bytesRead === 0) break
      got += bytesRead
      if (got === buffer.length) throw new SourcePathError(path, 'changed', `${path}: grew while it was read`)
    }
    return buffer.subarray(0, got)
  } finally {
    await handle.close()
  }
}

function isMissing(error: unknown): boolean {
  if (error instanceof SourcePathError) return error.problem === 'missing'
  const code = (error as {code?: string}).code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

function pathError(path: string, error: unknown): Error {
  if (error instanceof SourcePathError) return error
  const code = (error as {code?: string}).code
  if (code === undefined) return error as Error
  if (code === 'ENOENT' || code === 'ENOTDIR') return new SourcePathError(path, 'missing', `${path}: no such file or directory`)
  if (code === 'EACCES' || code === 'EPERM') return new SourcePathError(path, 'denied', `${path}: permission denied`)
  if (code === 'ELOOP') return new SourcePathError(path, 'changed', `${path}: is a symbolic link`)
  return new SourcePathError(path, 'other', `${path}: ${code}`)
}

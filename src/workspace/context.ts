import {constants, type Stats} from 'node:fs'
import {chmod, lstat, mkdir, open, symlink, unlink} from 'node:fs/promises'
import {dirname, isAbsolute, join, relative, resolve} from 'node:path'
import type {FetchSink} from '../collect/fetch/report.js'
import {HoistError} from '../errors.js'
import {inside} from './paths.js'

/**
 * A service's build context as a place fetched host files land: host path /etc/nginx/nginx.conf
 * becomes <contextRoot>/rootfs/etc/nginx/nginx.conf. Every path and link target comes from an
 * untrusted host, so nothing may write outside rootfs: `..` is refused, no write passes through a
 * symlink already in the tree (each parent is lstat-ed), files are created with O_EXCL|O_NOFOLLOW,
 * and link targets are kept as text, never resolved while writing.
 */
export function contextSink(contextRoot: string): FetchSink {
  const rootfs = resolve(contextRoot, 'rootfs')

  // rootfs itself (host path /) is ours: mkdir and chmod on it are fine, a file or link there is refused below.
  const place = async (hostPath: string): Promise<string> => {
    const parts = hostPath.split('/')
    if (!hostPath.startsWith('/') || hostPath.includes('\0') || parts.includes('..')) refuse(hostPath, 'not a plain absolute path')
    const clean = parts.filter((part) => part !== '' && part !== '.')
    const full = inside(rootfs, clean.join('/') || '.')
    await mkdir(rootfs, {recursive: true})
    await makeParents(rootfs, clean.slice(0, -1), hostPath)
    return full
  }

  return {
    mkdir: async (hostPath, mode) => {
      const full = await place(hostPath)
      const existing = await lstatOrUndefined(full)
      if (existing && !existing.isDirectory()) refuse(hostPath, `a ${existing.isSymbolicLink() ? 'symbolic link' : 'file'} is already there`)
      if (!existing) await mkdir(full)
      // The owner keeps rwx so the files below can be written; the host's exact mode is in the fetch report.
      await chmod(full, (mode & 0o1777) | 0o700)
    },
    writeFile: async (hostPath, data, mode) => {
      const full = await place(hostPath)
      const existing = await lstatOrUndefined(full)
      if (existing?.isSymbolicLink()) refuse(hostPath, 'a symbolic link is already there')
      if (existing?.isDirectory()) refuse(hostPath, 'a folder is already there')
      if (existing) await unlink(full)
      const handle = await open(full, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
      try {
        await handle.writeFile(data)
        // Readable by the owner, so the engine can send it to the build; never setuid or setgid.
        await handle.chmod((mode & 0o777) | 0o400)
      } finally {
        await handle.close()
      }
    },
    symlink: async (hostPath, target) => {
      const full = await place(hostPath)
      if (target === '' || target.includes('\0')) refuse(hostPath, 'the link has no usable target')
      // An absolute target resolves inside the image's own root, so it is kept; a relative one must stay in rootfs.
      if (!target.startsWith('/')) {
        const rel = relative(rootfs, resolve(dirname(full), target))
        if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) refuse(hostPath, `its target ${target} leaves the build context`)
      }
      const existing = await lstatOrUndefined(full)
      if (existing?.isDirectory()) refuse(hostPath, 'a folder is already there')
      if (existing) await unlink(full)
      await symlink(target, full)
    },
  }
}

/** Each folder between rootfs and the path: made when missing, refused when it is a link or a file. */
async function makeParents(rootfs: string, parts: string[], hostPath: string): Promise<void> {
  let here = rootfs
  for (const part of parts) {
    here = join(here, part)
    let existing = await lstatOrUndefined(here)
    if (!existing) {
      await mkdir(here, {mode: 0o755}).catch((error: NodeJS.ErrnoException) => (error.code === 'EEXIST' ? undefined : Promise.reject(error)))
      existing = await lstat(here)
    }
    if (existing.isSymbolicLink()) refuse(hostPath, `${relative(rootfs, here)} is a symbolic link`)
    if (!existing.isDirectory()) refuse(hostPath, `${relative(rootfs, here)} is not a folder`)
  }
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  return lstat(path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)))
}

function refuse(hostPath: string, why: string): never {
  throw new HoistError('WORKSPACE_INVALID', `refusing to write ${JSON.stringify(hostPath)} into the build context: ${why}`, 'The scanned host holds a path or link that would leave the build context; it was skipped. Check the host if this is unexpected.')
}

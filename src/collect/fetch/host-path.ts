import {posix} from 'node:path'

/**
 * Paths on the scanned host, handled as text with POSIX rules whatever machine Hoist runs on.
 * They come from a plan the consultant may edit and from the host's own files and links, so they
 * are checked before anything is asked of the host and resolved lexically, never through the host.
 */

/** Why a requested path is refused, or undefined when it is a plain absolute path. */
export function hostPathProblem(path: string): string | undefined {
  if (path.includes('\0')) return 'contains a NUL byte'
  if (!path.startsWith('/')) return 'not an absolute path'
  if (path.split('/').includes('..')) return 'has a .. component'
  return undefined
}

/** `/etc//nginx/./` → `/etc/nginx`. Only for paths hostPathProblem accepted. */
export function normaliseHostPath(path: string): string {
  const normal = posix.normalize(path)
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal
}

/** A name a directory listing may hold; a hostile SFTP server could send others to climb out. */
export function isEntryName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0')
}

export function joinHostPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`
}

/** Code-unit order, the same on every machine and locale, so reports are stable. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** path is root itself or below it. */
export function isWithin(path: string, root: string): boolean {
  if (root === '/') return path.startsWith('/')
  return path === root || path.startsWith(`${root}/`)
}

export function isWithinAny(path: string, roots: Iterable<string>): boolean {
  for (const root of roots) if (isWithin(path, root)) return true
  return false
}

/**
 * Where a symlink points, worked out from the link's own folder as text: `..` stops at `/` as it
 * does on the host. Nothing is looked up, so a chain of links is never followed.
 */
export function linkTargetPath(linkPath: string, target: string): string {
  return posix.resolve(posix.dirname(linkPath), target)
}

/** Directory levels of path below root (0 for root itself). */
export function depthBelow(path: string, root: string): number {
  if (path === root) return 0
  const rest = root === '/' ? path.slice(1) : path.slice(root.length + 1)
  return rest.split('/').length
}

/** The last component without its extension, as an environment-style word: app.conf → APP. */
export function fileStem(path: string): string {
  const base = posix.basename(path).replace(/^\.+/, '')
  const dot = base.lastIndexOf('.')
  return envWord(dot > 0 ? base.slice(0, dot) : base) || 'FILE'
}

/**
 * apiToken → API_TOKEN, db-password → DB_PASSWORD: the shape environment variable names take, so a
 * placeholder can be filled from the environment at run time.
 */
export function envWord(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase()
}

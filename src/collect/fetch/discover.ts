import {hostPathProblem, normaliseHostPath} from './host-path.js'

/**
 * Applications read files outside their own folders: a config under /etc or data under /srv named
 * only in their code or config. These functions find such names in text; fetch.ts checks them on the
 * host. Pure: no I/O, so they are tested on strings.
 */

export interface NamedPath {
  path: string
  /** 1-based. */
  line: number
}

// A path starts after a blank, quote, bracket, `=`, `:` or `,` (not after a word, `$VAR` or `${VAR}`,
// and not as the host part of a URL) and runs over the characters file names usually hold.
const ABSOLUTE_PATH = /(?<![A-Za-z0-9_.~/\\$}@%+-])\/[A-Za-z0-9_.@%+~-]+(?:\/[A-Za-z0-9_.@%+~-]+)*\/?/g

// The OS's own folders: installed by packages or made at boot, never part of an application.
const SYSTEM_TOP = new Set(['proc', 'sys', 'dev', 'run', 'tmp', 'usr', 'bin', 'sbin', 'boot', 'lib', 'lib32', 'lib64', 'libx32', 'lost+found', 'media', 'mnt'])

// OS files and folders that also hold secrets or only make sense on the host itself.
const SYSTEM_PATHS = [
  '/etc/passwd', '/etc/shadow', '/etc/gshadow', '/etc/group', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf',
  '/etc/nsswitch.conf', '/etc/localtime', '/etc/timezone', '/etc/machine-id', '/etc/fstab', '/etc/mtab', '/etc/os-release',
  '/etc/ssl', '/etc/pki', '/etc/ca-certificates', '/etc/ssh', '/etc/sudoers', '/etc/sudoers.d', '/etc/pam.d', '/etc/security',
  '/etc/alternatives', '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/shells', '/etc/login.defs', '/etc/environment',
  '/var/log', '/var/run', '/var/lock', '/var/tmp', '/var/cache', '/var/spool', '/var/mail', '/var/lib/dpkg', '/var/lib/apt',
  '/var/lib/rpm', '/var/lib/yum', '/var/lib/dnf', '/var/lib/systemd', '/var/backups',
]

// Folders too broad to copy whole because code named them: only something below them is specific.
const TOO_BROAD = new Set(['/var/lib', '/var/www', '/var/opt', '/usr/local/bin', '/usr/local/sbin', '/usr/local/lib', '/usr/local/share', '/usr/local/include', '/usr/local/src', '/root'])

// Credentials people keep in home folders, and runtime files no image should carry.
const PRIVATE_NAME = /^(\.ssh|\.gnupg|\.aws|\.kube|\.docker|\.netrc|\.pgpass|\.git-credentials|\.[A-Za-z]*_history)$/
const RUNTIME_LEAF = /^(log|logs|cache|tmp|temp)$|\.(log|pid|sock|lock)$/

/** Whether a path named in a file may be fetched: an application's, not the OS's or a person's. */
export function isDiscoverable(path: string): boolean {
  const parts = path.split('/').filter(Boolean)
  const top = parts[0]
  if (top === undefined || parts.length < 2) return false
  if (top === 'usr' && !(parts[1] === 'local' && parts.length >= 3)) return false
  if (top !== 'usr' && SYSTEM_TOP.has(top)) return false
  if (top === 'home' && parts.length < 3) return false
  if (TOO_BROAD.has(path)) return false
  if (SYSTEM_PATHS.some((system) => path === system || path.startsWith(`${system}/`))) return false
  if (parts.some((part) => PRIVATE_NAME.test(part))) return false
  return !RUNTIME_LEAF.test(parts[parts.length - 1] as string)
}

/** A line that is a comment in the usual config and script syntaxes (#, ;, //, --, C blocks). */
export const COMMENT_LINE = /^[ \t]*(#|;|\/\/|--|\/\*|\*)/

// Where a program writes its logs and runtime files: never copied, but the folder must exist (and be
// the service's) or the program fails to start, as gunicorn does without its errorlog folder.
const RUNTIME_ROOTS = ['/var/log/', '/run/', '/var/run/']

// `port = 5432`, `port: 6379`, `localhost:5432`, `127.0.0.1:11211`: a local port a config points at.
const NAMED_PORT = /(?:^|[^A-Za-z0-9_])port["']?[ \t]*[=:][ \t]*["']?(\d{2,5})\b|(?:localhost|127\.0\.0\.1|\[::1\]):(\d{2,5})\b/gi

interface NamedInText {
  /** Absolute paths discovery may fetch. */
  paths: NamedPath[]
  /** Folders under /var/log and /run (a named file's folder). */
  runtimeDirs: NamedPath[]
  /** Local ports, outside comment lines: the services on this host it talks to. */
  ports: {port: number; line: number}[]
}

interface NamedLimits {
  paths: number
  runtimeDirs: number
  ports: number
}

const LIMITS: NamedLimits = {paths: 1000, runtimeDirs: 100, ports: 50}

/**
 * What a text file names, in one pass over its lines: first mention of each, in order, at most a
 * limit of each kind so a hostile file full of names costs little. `file` is where the text came
 * from: a file never names itself.
 */
export function namedInText(text: string, file: string, limits: Partial<NamedLimits> = {}): NamedInText {
  const max = {...LIMITS, ...limits}
  const paths = new Map<string, number>()
  const dirs = new Map<string, number>()
  const ports = new Map<number, number>()
  for (const [index, line] of text.split('\n').entries()) {
    for (const match of line.matchAll(ABSOLUTE_PATH)) {
      const raw = match[0].replace(/[.]+$/, '')
      // `..` is left to the host to resolve: as text it could name the wrong place.
      if (hostPathProblem(raw)) continue
      const path = normaliseHostPath(raw)
      if (paths.size < max.paths && path !== file && !paths.has(path) && isDiscoverable(path)) paths.set(path, index + 1)
      const dir = runtimeDir(path)
      if (dir && dirs.size < max.runtimeDirs && !dirs.has(dir)) dirs.set(dir, index + 1)
    }
    if (COMMENT_LINE.test(line)) continue
    for (const match of line.matchAll(NAMED_PORT)) {
      const port = Number(match[1] ?? match[2])
      if (port > 0 && port < 65536 && ports.size < max.ports && !ports.has(port)) ports.set(port, index + 1)
    }
  }
  return {paths: toList(paths), runtimeDirs: toList(dirs), ports: [...ports].map(([port, line]) => ({port, line}))}
}

/** The folder under /var/log or /run a path names (its own folder when it names a file), if any. */
function runtimeDir(path: string): string | undefined {
  if (!RUNTIME_ROOTS.some((root) => path.startsWith(root))) return undefined
  const dir = path.slice(path.lastIndexOf('/') + 1).includes('.') ? path.slice(0, path.lastIndexOf('/')) : path
  return RUNTIME_ROOTS.some((root) => `${dir}/` === root) ? undefined : dir
}

function toList<K>(found: Map<K, number>): {path: K; line: number}[] {
  return [...found].map(([path, line]) => ({path, line}))
}

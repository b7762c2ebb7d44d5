// Fixture hosts for the e2e tests: a real "legacy" Debian 12 box per test, reachable over SSH
// at 10.210.<index>.2. Each is a network namespace + veth pair, PID/mount/UTS/IPC namespaces
// and a chroot into an overlay of the cached rootfs (build-rootfs.sh), with init.sh as PID 1.
// Needs root. See /work/shared/TESTING.md for the recipe this follows.
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, existsSync, openSync} from 'node:fs'
import {chmod, chown, copyFile, mkdir, readFile, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {CACHE, type ExecResult, HOSTS_DIR, must, nsInitPid, run, sleep, teardown} from './teardown.js'

export {diffTrees, HASH_TREE_EXCLUDES, hashTree} from './hash-tree.js'
export type {ExecResult} from './teardown.js'

/** Planted by build-rootfs.sh in the billing app's environment, env file and config. */
export const PLANTED_SECRET = 's3cr3t-Planted-7f2c9a'
/** Distinctive bodies: nginx's site at / and the billing app on :8080 contain these. */
export const FIXTURE_MARKERS = {site: 'hoist-fixture-site-7d41', app: 'hoist-fixture-billing-app-3e9b'} as const

const HERE = dirname(fileURLToPath(import.meta.url))
/** What every image's init script shares: init-lib.sh, installed in each host at this path. */
const INIT_LIB = '/usr/lib/hoist/init-lib.sh'

export interface HostKey {
  type: string
  /** base64 of the public key blob */
  blob: string
  /** known_hosts line for this host: `<address> <type> <blob>` */
  line: string
}

export interface FixtureHostOptions {
  /** Hostname; also names the netns (hoist-<name>) and the host's directory. */
  name: string
  /** 1..254: the host is 10.210.<index>.2, the machine's side of the veth 10.210.<index>.1. */
  index: number
  /** Installed for both hoist and root. */
  authorizedKeys: string[]
  /**
   * Edits the host's tree before it boots (an overlay: the cache is not touched). Paths are
   * resolved by the machine, so an absolute symlink in the tree (/etc/nginx/sites-enabled/*,
   * /etc/alternatives/*) points OUT of it: replace such a link, never write through it.
   */
  mutate?: (rootDir: string) => void | Promise<void>
  readyTimeoutMs?: number
  /** Default: the legacy host (nginx, PostgreSQL, Redis, a Python app, cron). */
  image?: HostImage
}

export interface FixtureHost {
  name: string
  address: string
  sshPort: 22
  /** The host's / seen from the machine (the overlay's merged dir). */
  rootDir: string
  hostKeys: HostKey[]
  /** The ed25519 known_hosts line (OpenSSH and ssh2 both prefer that key type). */
  knownHostsLine(): string
  /** Runs `sh -c cmd` as root inside the host's namespaces and chroot; never throws on exit code. */
  exec(cmd: string): Promise<ExecResult>
  stop(): Promise<void>
}

/** A kind of fixture host: how its root filesystem is built and how it boots. */
export interface HostImage {
  /** The cache's name: <cache>/<name>.tar, .tar.stamp and .rootfs-<stamp>/. */
  name: string
  buildScript: string
  /** Copied to /usr/sbin/hoist-init and run as PID 1; it may source INIT_LIB (init-lib.sh). */
  initScript: string
  readyTimeoutMs: number
  /** Under /var/log: their last lines go into the error when a host does not come up. */
  logs: string[]
  /** Checks that the built tree agrees with the constants tests rely on (planted secret, markers). */
  check(rootDir: string): Promise<void>
}

export const LEGACY_IMAGE: HostImage = {
  name: 'bookworm-legacy',
  buildScript: join(HERE, 'build-rootfs.sh'),
  initScript: join(HERE, 'init.sh'),
  readyTimeoutMs: 30_000,
  logs: ['nginx/error.log', 'redis/redis-server.log', 'postgresql/postgresql-15-main.log', 'billing/app.log', 'auth.log'],
  async check(lower) {
    const env = await readFile(join(lower, 'etc/billing/billing.env'), 'utf8')
    if (!env.includes(`BILLING_DB_PASSWORD=${PLANTED_SECRET}\n`)) {
      throw new Error('PLANTED_SECRET in host.ts and SECRET in build-rootfs.sh differ: make them equal')
    }
  },
}

const rootfs = new Map<string, Promise<string>>()

/** Builds the image's cached rootfs if missing or stale (minutes the first time); returns its unpacked dir. */
export function ensureRootfs(image: HostImage = LEGACY_IMAGE): Promise<string> {
  let built = rootfs.get(image.name)
  if (!built) {
    built = buildRootfs(image).catch((error: unknown) => {
      rootfs.delete(image.name)
      throw error
    })
    rootfs.set(image.name, built)
  }
  return built
}

async function buildRootfs(image: HostImage): Promise<string> {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('bash', [image.buildScript], {stdio: ['ignore', 'inherit', 'inherit']})
    child.on('error', reject).on('exit', resolve)
  })
  if (code !== 0) throw new Error(`${image.buildScript} failed (exit ${code}); its output is above`)
  const stamp = (await readFile(join(CACHE, `${image.name}.tar.stamp`), 'utf8')).trim()
  const lower = join(CACHE, `${image.name}.rootfs-${stamp.slice(0, 12)}`)
  await image.check(lower)
  return lower
}

export async function startFixtureHost(options: FixtureHostOptions): Promise<FixtureHost> {
  const {name, index} = options
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) throw new Error(`fixture host name ${JSON.stringify(name)}: use [a-z][a-z0-9-]{0,30}`)
  if (!Number.isInteger(index) || index < 1 || index > 254) throw new Error(`fixture host index ${index}: use 1..254`)
  const image = options.image ?? LEGACY_IMAGE
  const lower = await ensureRootfs(image)
  await teardown(name) // a previous run that crashed may have left this host behind
  const dir = join(HOSTS_DIR, name)
  const rootDir = join(dir, 'root')
  const ns = `hoist-${name}`
  const veth = `hoistv${index}`
  const address = `10.210.${index}.2`
  await waitLinkFree(veth, index)
  try {
    for (const d of ['upper', 'work', 'root']) await mkdir(join(dir, d), {recursive: true})
    await writeFile(join(dir, 'index'), `${index}\n`) // lets teardown find the veth after a crash
    await must('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${dir}/upper,workdir=${dir}/work`, rootDir])
    await prepareRoot(rootDir, name, options.authorizedKeys, image.initScript)
    await options.mutate?.(rootDir)

    await must('ip', ['netns', 'add', ns])
    await must('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns])
    await must('ip', ['addr', 'add', `10.210.${index}.1/24`, 'dev', veth])
    await must('ip', ['link', 'set', veth, 'up'])
    await must('ip', ['-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0'])
    await must('ip', ['-n', ns, 'link', 'set', 'eth0', 'up'])
    await must('ip', ['-n', ns, 'route', 'add', 'default', 'via', `10.210.${index}.1`])

    const initPid = await boot(dir, rootDir, ns, name, options.readyTimeoutMs ?? image.readyTimeoutMs, image.logs)
    const hostKeys = await readHostKeys(rootDir, address)
    let stopping: Promise<void> | undefined
    return {
      name,
      address,
      sshPort: 22,
      rootDir,
      hostKeys,
      knownHostsLine: () => (hostKeys.find((k) => k.type === 'ssh-ed25519') ?? hostKeys[0]!).line,
      exec: async (cmd) => {
        // After stop the PID may belong to anything else on the machine: never enter it.
        if (stopping) throw new Error(`fixture host ${name} is stopped`)
        return run('nsenter', ['--target', String(initPid), '--net', '--pid', '--mount', '--uts', '--ipc', '--root', '--wd', 'sh', '-c', cmd])
      },
      stop: () => (stopping ??= teardown(name)),
    }
  } catch (error) {
    await teardown(name).catch(() => {})
    throw error
  }
}

/** Starts init in fresh namespaces; resolves with its PID (as the machine sees it) once ready. */
async function boot(dir: string, rootDir: string, ns: string, name: string, timeoutMs: number, logs: string[]): Promise<number> {
  const logPath = join(dir, 'init.log')
  const log = openSync(logPath, 'a')
  // --ipc too (beyond TESTING.md's recipe): postgres' SysV and POSIX shared memory stay per host.
  const script = 'mount --bind /dev "$0/dev" && exec chroot "$0" /sbin/hoist-init "$1"'
  const child = spawn(
    'ip',
    ['netns', 'exec', ns, 'unshare', '--pid', '--mount', '--uts', '--ipc', '--fork', '--propagation', 'private', 'sh', '-c', script, rootDir, name],
    // Detached, with a clean environment: PID 1 of a real box inherits nothing from a test runner.
    {detached: true, cwd: '/', stdio: ['ignore', log, log], env: {PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/', TERM: 'linux'}},
  )
  closeSync(log)
  let exited: string | undefined
  child.on('exit', (code, signal) => (exited = `exited (${signal ?? code})`)).unref()
  const deadline = Date.now() + timeoutMs
  let initPid: number | undefined
  for (;;) {
    initPid ??= await nsInitPid(ns)
    if (initPid !== undefined && existsSync(`/proc/${initPid}/root/run/hoist-ready`)) return initPid
    const why = exited ? `init ${exited}` : Date.now() > deadline ? `not ready after ${timeoutMs} ms` : undefined
    if (why) {
      const output = await readFile(logPath, 'utf8').catch(() => '')
      // The host is torn down after this, so the error carries what is needed to see why.
      throw new Error(`fixture host ${name}: ${why}; init output:\n${output}${await logTails(rootDir, logs)}`)
    }
    await sleep(50)
  }
}

async function logTails(rootDir: string, logs: string[]): Promise<string> {
  let out = ''
  for (const file of logs) {
    const tail = (await readFile(join(rootDir, 'var/log', file), 'utf8').catch(() => '')).trimEnd().split('\n').slice(-5).join('\n')
    if (tail) out += `--- /var/log/${file}, last lines:\n${tail}\n`
  }
  return out
}

async function waitLinkFree(veth: string, index: number): Promise<void> {
  // A namespace being destroyed takes its veth with it, asynchronously: give it a moment.
  for (let i = 0; i < 40; i++) {
    if ((await run('ip', ['link', 'show', 'dev', veth])).code !== 0) return
    await sleep(50)
  }
  throw new Error(`index ${index} is taken: interface ${veth} exists (another fixture host?)`)
}

/** Per-host identity and access, written before boot like a provisioning step would. */
async function prepareRoot(rootDir: string, name: string, keys: string[], initScript: string): Promise<void> {
  await writeFile(join(rootDir, 'etc/hostname'), `${name}\n`)
  await writeFile(join(rootDir, 'etc/hosts'), `127.0.0.1\tlocalhost\n127.0.1.1\t${name}\n::1\t\tlocalhost ip6-localhost ip6-loopback\n`)
  await writeFile(join(rootDir, 'etc/machine-id'), `${randomBytes(16).toString('hex')}\n`)
  const passwd = await readFile(join(rootDir, 'etc/passwd'), 'utf8')
  for (const user of ['hoist', 'root']) {
    const fields = passwd.split('\n').find((l) => l.startsWith(`${user}:`))?.split(':')
    if (!fields) throw new Error(`user ${user} missing from the fixture rootfs`)
    const [uid, gid, home] = [Number(fields[2]), Number(fields[3]), fields[5]!]
    const sshDir = join(rootDir, home, '.ssh')
    await mkdir(sshDir, {recursive: true, mode: 0o700})
    await writeFile(join(sshDir, 'authorized_keys'), keys.map((k) => `${k.trim()}\n`).join(''), {mode: 0o600})
    await chown(sshDir, uid, gid)
    await chown(join(sshDir, 'authorized_keys'), uid, gid)
  }
  await copyFile(initScript, join(rootDir, 'usr/sbin/hoist-init'))
  await chmod(join(rootDir, 'usr/sbin/hoist-init'), 0o755)
  await mkdir(join(rootDir, dirname(INIT_LIB)), {recursive: true, mode: 0o755})
  await copyFile(join(HERE, 'init-lib.sh'), join(rootDir, INIT_LIB))
  await chmod(join(rootDir, INIT_LIB), 0o644)
}

async function readHostKeys(rootDir: string, address: string): Promise<HostKey[]> {
  const keys: HostKey[] = []
  for (const alg of ['ed25519', 'ecdsa', 'rsa']) {
    const [type, blob] = (await readFile(join(rootDir, `etc/ssh/ssh_host_${alg}_key.pub`), 'utf8')).trim().split(/\s+/)
    keys.push({type: type!, blob: blob!, line: `${address} ${type} ${blob}`})
  }
  return keys
}

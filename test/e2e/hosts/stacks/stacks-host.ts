// The "stacks" fixture host: one Debian 12 box running every application stack Hoist must
// recognise (build-stacks-rootfs.sh), booted by init-stacks.sh, reachable over SSH at
// 10.210.<index>.2. Same machinery as ../host.ts (namespaces, veth, overlay on a cached
// rootfs), which has no rootfs or init override: its few private steps are repeated here,
// and its teardown is reused as is, so a crashed run's leftovers are cleaned the same way.
import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, existsSync, openSync} from 'node:fs'
import {chmod, chown, copyFile, mkdir, readFile, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {type FixtureHost, type HostKey, PLANTED_SECRET} from '../host.js'
import {CACHE, HOSTS_DIR, must, nsInitPid, run, sleep, teardown} from '../teardown.js'

export type {FixtureHost} from '../host.js'
export {PLANTED_SECRET} from '../host.js'

/** Distinctive bodies each web stack answers with (haproxy on :8404 proxies node's). */
export const STACK_MARKERS = {
  php: 'hoist-stack-apache-php-5c1d',
  tomcat: 'hoist-stack-tomcat-8e2a',
  jar: 'hoist-stack-java-jar-1f7b',
  node: 'hoist-stack-node-3a9c',
  flask: 'hoist-stack-flask-6d04',
  uwsgi: 'hoist-stack-uwsgi-9b3e',
  puma: 'hoist-stack-puma-2e8f',
} as const

/** Every TCP port init-stacks.sh waits for: the stack, its process (comm) and the user it serves as. */
export const STACK_PORTS = [
  {port: 22, stack: 'sshd', comm: 'sshd', user: 'root'},
  {port: 80, stack: 'apache2 + mod_php', comm: 'apache2', user: 'www-data'},
  {port: 3000, stack: 'node', comm: 'node', user: 'node'},
  {port: 3306, stack: 'mariadb', comm: 'mariadbd', user: 'mysql'},
  {port: 5672, stack: 'rabbitmq', comm: 'beam.smp', user: 'rabbitmq'},
  {port: 8000, stack: 'gunicorn + Flask', comm: 'gunicorn', user: 'flask'},
  {port: 8001, stack: 'uwsgi', comm: 'uwsgi', user: 'www-data'},
  {port: 8080, stack: 'tomcat10', comm: 'java', user: 'tomcat'},
  {port: 8081, stack: 'java -jar', comm: 'java', user: 'app'},
  {port: 8404, stack: 'haproxy', comm: 'haproxy', user: 'haproxy'},
  {port: 9000, stack: 'php-fpm', comm: 'php-fpm8.2', user: 'www-data'},
  {port: 9292, stack: 'puma', comm: 'puma', user: 'ruby'},
  {port: 11211, stack: 'memcached', comm: 'memcached', user: 'memcache'},
] as const

const HERE = dirname(fileURLToPath(import.meta.url))

export interface StacksHostOptions {
  /** Hostname; also names the netns (hoist-<name>) and the host's directory. */
  name: string
  /** 1..254: the host is 10.210.<index>.2, the machine's side of the veth 10.210.<index>.1. */
  index: number
  /** Installed for both hoist and root. */
  authorizedKeys: string[]
  /** Edits the host's tree before it boots (an overlay: the cache is not touched). */
  mutate?: (rootDir: string) => void | Promise<void>
  /** Two JVMs and Erlang start on 2 cores: give it time. */
  readyTimeoutMs?: number
}

let rootfs: Promise<string> | undefined

/** Builds the cached stacks rootfs if missing or stale (~2 min the first time); returns its unpacked dir. */
export function ensureStacksRootfs(): Promise<string> {
  rootfs ??= buildRootfs().catch((error: unknown) => {
    rootfs = undefined
    throw error
  })
  return rootfs
}

async function buildRootfs(): Promise<string> {
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('bash', [join(HERE, 'build-stacks-rootfs.sh')], {stdio: ['ignore', 'inherit', 'inherit']})
    child.on('error', reject).on('exit', resolve)
  })
  if (code !== 0) throw new Error(`build-stacks-rootfs.sh failed (exit ${code}); its output is above`)
  const stamp = (await readFile(join(CACHE, 'bookworm-stacks.tar.stamp'), 'utf8')).trim()
  const lower = join(CACHE, `bookworm-stacks.rootfs-${stamp.slice(0, 12)}`)
  const env = await readFile(join(lower, 'etc/flask-app/flask.env'), 'utf8')
  if (!env.includes(`SHOP_DB_PASSWORD=${PLANTED_SECRET}\n`)) {
    throw new Error('PLANTED_SECRET in host.ts and SECRET in build-stacks-rootfs.sh differ: make them equal')
  }
  const php = await readFile(join(lower, 'var/www/html/index.php'), 'utf8')
  if (!php.includes(STACK_MARKERS.php)) throw new Error('STACK_MARKERS and build-stacks-rootfs.sh differ: make them equal')
  return lower
}

export async function startStacksHost(options: StacksHostOptions): Promise<FixtureHost> {
  const {name, index} = options
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) throw new Error(`fixture host name ${JSON.stringify(name)}: use [a-z][a-z0-9-]{0,30}`)
  if (!Number.isInteger(index) || index < 1 || index > 254) throw new Error(`fixture host index ${index}: use 1..254`)
  const lower = await ensureStacksRootfs()
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
    await prepareRoot(rootDir, name, options.authorizedKeys)
    await options.mutate?.(rootDir)

    await must('ip', ['netns', 'add', ns])
    await must('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns])
    await must('ip', ['addr', 'add', `10.210.${index}.1/24`, 'dev', veth])
    await must('ip', ['link', 'set', veth, 'up'])
    await must('ip', ['-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0'])
    await must('ip', ['-n', ns, 'link', 'set', 'eth0', 'up'])
    await must('ip', ['-n', ns, 'route', 'add', 'default', 'via', `10.210.${index}.1`])

    const initPid = await boot(dir, rootDir, ns, name, options.readyTimeoutMs ?? 120_000)
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
async function boot(dir: string, rootDir: string, ns: string, name: string, timeoutMs: number): Promise<number> {
  const logPath = join(dir, 'init.log')
  const log = openSync(logPath, 'a')
  // --ipc: mariadb's and php's shared memory stay per host.
  const script = 'mount --bind /dev "$0/dev" && exec chroot "$0" /usr/sbin/hoist-init "$1"'
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
      throw new Error(`fixture host ${name}: ${why}; init output:\n${output}${await logTails(rootDir)}`)
    }
    await sleep(50)
  }
}

const LOGS = [
  'apache2/error.log', 'php8.2-fpm.log', 'tomcat10/catalina.out', 'pricing/pricing.log', 'mysql/error.log',
  'node-app/server.log', 'flask-app/error.log', 'uwsgi/app/hello.log', 'ruby-app/puma.log',
  'rabbitmq/startup_log', 'rabbitmq/startup_err', 'memcached.log', 'auth.log',
]

async function logTails(rootDir: string): Promise<string> {
  let out = ''
  for (const file of LOGS) {
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
async function prepareRoot(rootDir: string, name: string, keys: string[]): Promise<void> {
  await writeFile(join(rootDir, 'etc/hostname'), `${name}\n`)
  // rabbitmq's node is rabbit@<hostname>: Erlang must resolve the name, and there is no DNS.
  await writeFile(join(rootDir, 'etc/hosts'), `127.0.0.1\tlocalhost\n127.0.1.1\t${name}\n::1\t\tlocalhost ip6-localhost ip6-loopback\n`)
  await writeFile(join(rootDir, 'etc/machine-id'), `${randomBytes(16).toString('hex')}\n`)
  const passwd = await readFile(join(rootDir, 'etc/passwd'), 'utf8')
  for (const user of ['hoist', 'root']) {
    const fields = passwd.split('\n').find((l) => l.startsWith(`${user}:`))?.split(':')
    if (!fields) throw new Error(`user ${user} missing from the stacks rootfs`)
    const [uid, gid, home] = [Number(fields[2]), Number(fields[3]), fields[5]!]
    const sshDir = join(rootDir, home, '.ssh')
    await mkdir(sshDir, {recursive: true, mode: 0o700})
    await writeFile(join(sshDir, 'authorized_keys'), keys.map((k) => `${k.trim()}\n`).join(''), {mode: 0o600})
    await chown(sshDir, uid, gid)
    await chown(join(sshDir, 'authorized_keys'), uid, gid)
  }
  await copyFile(join(HERE, 'init-stacks.sh'), join(rootDir, 'usr/sbin/hoist-init'))
  await chmod(join(rootDir, 'usr/sbin/hoist-init'), 0o755)
}

async function readHostKeys(rootDir: string, address: string): Promise<HostKey[]> {
  const keys: HostKey[] = []
  for (const alg of ['ed25519', 'ecdsa', 'rsa']) {
    const [type, blob] = (await readFile(join(rootDir, `etc/ssh/ssh_host_${alg}_key.pub`), 'utf8')).trim().split(/\s+/)
    keys.push({type: type!, blob: blob!, line: `${address} ${type} ${blob}`})
  }
  return keys
}

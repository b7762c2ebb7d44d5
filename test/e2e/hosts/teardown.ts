// Process helpers and the teardown of a fixture host, also used on the leftovers of a run
// that crashed: everything is looked up from the name (netns, directory, processes), not
// from in-memory state.
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {readdir, readFile, readlink} from 'node:fs/promises'
import {join} from 'node:path'

export const CACHE = process.env.HOIST_FIXTURE_CACHE ?? '/var/cache/hoist-fixtures'
export const HOSTS_DIR = process.env.HOIST_HOSTS_DIR ?? '/var/tmp/hoist-hosts'

export interface ExecResult {
  code: number
  stdout: string
  stderr: string
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs a command; resolves whatever its exit code, rejects only if it could not run or timed out. */
export function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const env = {PATH: '/usr/sbin:/usr/bin:/sbin:/bin'}
    execFile(cmd, args, {env, timeout: timeoutMs, maxBuffer: 64 << 20, encoding: 'utf8'}, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`${cmd} ${args.join(' ')}: ${error.message}\n${stderr}`))
        return
      }
      resolve({code: error ? Number(error.code) : 0, stdout, stderr})
    })
  })
}

export async function must(cmd: string, args: string[]): Promise<string> {
  const result = await run(cmd, args)
  if (result.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`)
  return result.stdout
}

export async function netnsPids(ns: string): Promise<number[]> {
  if (!existsSync(`/run/netns/${ns}`)) return []
  const result = await run('ip', ['netns', 'pids', ns])
  return result.stdout.split('\n').filter(Boolean).map(Number)
}

/** Stops the host called name if anything of it exists, and removes every trace of it. */
export async function teardown(name: string): Promise<void> {
  const ns = `hoist-${name}`
  const dir = join(HOSTS_DIR, name)
  // TERM to the namespace's PID 1 lets init stop the services; KILL after 2 s. When PID 1
  // dies the kernel kills the rest of its PID namespace.
  const init = await nsInitPid(ns)
  if (init !== undefined) {
    signal(init, 'SIGTERM')
    if (!(await waitGone([init], 2000))) signal(init, 'SIGKILL')
  }
  // Stragglers: the unshare parent, commands run by exec(), a crashed run's processes whose
  // namespace was already deleted (found by their root directory).
  const left = [...(await netnsPids(ns)), ...(await pidsRootedIn(join(dir, 'root')))]
  for (const pid of left) signal(pid, 'SIGKILL')
  if (!(await waitGone(left, 5000))) throw new Error(`fixture host ${name}: processes ${left.join(' ')} survive SIGKILL`)
  if (existsSync(`/run/netns/${ns}`)) await must('ip', ['netns', 'del', ns])
  const index = (await readFile(join(dir, 'index'), 'utf8').catch(() => '')).trim()
  if (index) await run('ip', ['link', 'del', `hoistv${index}`]) // normally gone with the namespace
  await unmountUnder(dir)
  // --one-file-system: never delete through a mount, whatever happened above.
  if (existsSync(dir)) await must('rm', ['-rf', '--one-file-system', dir])
}

/** The PID, as the machine sees it, of the process that is PID 1 in the namespace's PID namespace. */
export async function nsInitPid(ns: string): Promise<number | undefined> {
  for (const pid of await netnsPids(ns)) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
    const nspid = /^NSpid:\s+(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/) ?? []
    if (nspid.length > 1 && nspid.at(-1) === '1') return pid
  }
  return undefined
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    // already gone
  }
}

/** True once none of pids is alive (zombies count as gone: their parent reaps them). */
async function waitGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const states = await Promise.all(pids.map((pid) => readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')))
    if (states.every((stat) => stat === '' || / Z /.test(stat.slice(stat.lastIndexOf(')'))))) return true
    if (Date.now() > deadline) return false
    await sleep(20)
  }
}

async function pidsRootedIn(rootDir: string): Promise<number[]> {
  const pids: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const root = await readlink(`/proc/${entry}/root`).catch(() => '')
    if (root === rootDir || root.startsWith(`${rootDir}/`)) pids.push(Number(entry))
  }
  return pids
}

async function unmountUnder(dir: string): Promise<void> {
  const mountPoints = async () =>
    (await readFile('/proc/self/mounts', 'utf8'))
      .split('\n')
      .map((line) => (line.split(' ')[1] ?? '').replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
      .filter((m) => m === dir || m.startsWith(`${dir}/`))
      .sort((a, b) => b.length - a.length)
  for (const m of await mountPoints()) {
    if ((await run('umount', [m])).code !== 0) await run('umount', ['-l', m])
  }
  const left = await mountPoints()
  if (left.length > 0) throw new Error(`cannot unmount ${left.join(', ')}`)
}

// Captures the golden HostFacts fixtures of test/fixtures/hosts/ from real fixture hosts:
//   debian12-stacks  the stacks host (startStacksHost): one box per application stack
//   debian12-legacy  the legacy host (startFixtureHost): nginx, postgres, redis, cron, python
// Each host is booted, scanned as root by the built CLI exactly as a user would
// (`hoist scan root@ADDR --identity KEY --known-hosts KH --out OUT --sample 10s`), and its
// raw probe output is kept too (`hoist probe-script --sample 10s | ssh root@ADDR sh`), so the
// fixture can be re-parsed when a parser changes. Nothing is written if a planted secret
// shows up or a stack is missing from the facts.
// Run as root from the repository: npx tsx test/e2e/hosts/stacks/capture.ts [stacks|legacy]...
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {mkdir} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {HostFacts} from '../../../../src/types/facts.js'
import {hoist} from '../../cli.js'
import {type FixtureHost, PLANTED_SECRET, startFixtureHost} from '../host.js'
import {summarise} from './summary.js'
import {ensureStacksRootfs, STACK_PORTS, startStacksHost} from './stacks-host.js'

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../../..')
const FIXTURES = join(REPO, 'test/fixtures/hosts')
const SAMPLE = '10s'

interface Target {
  id: string
  what: string
  start: (authorizedKeys: string[]) => Promise<FixtureHost>
  /** TCP ports that must have a listener with its owning process in the facts. */
  ports: number[]
}

const TARGETS: Record<string, Target> = {
  stacks: {
    id: 'debian12-stacks',
    what: 'stacks host (build-stacks-rootfs.sh + init-stacks.sh)',
    start: (authorizedKeys) => startStacksHost({name: 'stacks', index: 61, authorizedKeys}),
    ports: STACK_PORTS.map((p) => p.port),
  },
  legacy: {
    id: 'debian12-legacy',
    what: 'legacy host (../build-rootfs.sh + ../init.sh)',
    start: (authorizedKeys) => startFixtureHost({name: 'legacy', index: 62, authorizedKeys}),
    ports: [22, 80, 5432, 6379, 8080],
  },
}

function sh(cmd: string, args: string[], input?: string): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], env: {...process.env, SSH_AUTH_SOCK: ''}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject).on('close', (code) => resolve({code, stdout, stderr}))
    child.stdin.end(input ?? '')
  })
}

async function capture(target: Target, dir: string, key: string): Promise<void> {
  const timings: Record<string, number> = {}
  let t = Date.now()
  const host = await target.start([readFileSync(`${key}.pub`, 'utf8').trim()])
  timings.hostUpMs = Date.now() - t
  try {
    const kh = join(dir, `kh-${target.id}`)
    writeFileSync(kh, `${host.knownHostsLine()}\n`)
    const out = join(dir, `out-${target.id}`)
    const argv = ['scan', `root@${host.address}`, '--identity', key, '--known-hosts', kh, '--out', out, '--sample', SAMPLE]
    t = Date.now()
    const scan = await hoist(argv, 180_000)
    timings.scanMs = Date.now() - t
    if (scan.code !== 0) throw new Error(`hoist ${argv.join(' ')} exited ${scan.code}:\n${scan.stderr}`)
    const factsText = readFileSync(join(out, 'hosts', host.address, 'facts.json'), 'utf8')

    // The same probe, its raw output kept: ingestible with `hoist scan --from`.
    const script = await sh(process.execPath, ['bin/run.js', 'probe-script', '--sample', SAMPLE])
    if (script.code !== 0) throw new Error(`hoist probe-script exited ${script.code}: ${script.stderr}`)
    const sshArgs = ['-F', '/dev/null', '-i', key, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${kh}`,
      '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes', `root@${host.address}`, 'sh']
    t = Date.now()
    const raw = await sh('ssh', sshArgs, script.stdout)
    timings.rawProbeMs = Date.now() - t
    if (raw.code !== 0) throw new Error(`probe over ssh exited ${raw.code}: ${raw.stderr}`)
    const rawFile = join(dir, `${target.id}.probe-output.txt`)
    writeFileSync(rawFile, raw.stdout)
    const ingest = await hoist(['scan', '--from', rawFile, '--name', target.id, '--out', join(dir, 'ingest')])
    if (ingest.code !== 0) throw new Error(`hoist scan --from of the raw probe output exited ${ingest.code}: ${ingest.stderr}`)

    // Checks before anything is written: a fixture that leaks or misses a stack is worse than none.
    for (const [name, text] of [['facts.json', factsText], ['probe-output.txt', raw.stdout]] as const) {
      if (text.includes(PLANTED_SECRET)) throw new Error(`${target.id}/${name} contains the planted secret: not writing it`)
    }
    const facts = JSON.parse(factsText) as HostFacts
    const missing = target.ports.filter((port) => {
      const l = facts.listeners.find((x) => x.port === port && x.protocol.startsWith('tcp') && x.pid !== undefined)
      return !l || !facts.processes.some((p) => p.pid === l.pid)
    })
    if (missing.length > 0) throw new Error(`${target.id}: no listener with its process for port(s) ${missing.join(', ')}`)

    const fixtureDir = join(FIXTURES, target.id)
    await mkdir(fixtureDir, {recursive: true})
    writeFileSync(join(fixtureDir, 'facts.json'), factsText)
    writeFileSync(join(fixtureDir, 'probe-output.txt'), raw.stdout)
    const provenance = {
      fixture: target.id,
      host: target.what,
      hostname: facts.host.hostname,
      capturedAt: facts.collectedAt,
      command: `hoist ${argv.join(' ').replaceAll(dir, '$TMP')}`,
      rawProbeCommand: `hoist probe-script --sample ${SAMPLE} | ssh root@${host.address} sh`,
      hoistCommit: execFileSync('git', ['-C', REPO, 'rev-parse', 'HEAD'], {encoding: 'utf8'}).trim(),
      hoistTreeDirty: execFileSync('git', ['-C', REPO, 'status', '--porcelain', '--', 'src'], {encoding: 'utf8'}).trim() !== '',
      // The scan ran dist/ as found: say so if src/ changed after the last build.
      distOlderThanSrc: newestMtime(join(REPO, 'src')) > statSync(join(REPO, 'dist/commands/scan.js')).mtimeMs,
      probeSha256: facts.probe.sha256,
      timings,
    }
    writeFileSync(join(fixtureDir, 'capture.json'), `${JSON.stringify(provenance, null, 2)}\n`)
    console.log(`capture: ${relative(REPO, fixtureDir)} written (${JSON.stringify(timings)})`)
    console.log(summarise(facts))
  } finally {
    t = Date.now()
    await host.stop()
    console.log(`capture: ${target.id} host down in ${Date.now() - t} ms`)
  }
}

function newestMtime(dir: string): number {
  return Math.max(...readdirSync(dir, {recursive: true, encoding: 'utf8'}).map((f) => statSync(join(dir, f)).mtimeMs))
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('capture.ts needs root (namespaces, mounts)')
  const wanted = process.argv.slice(2)
  const targets = (wanted.length > 0 ? wanted : Object.keys(TARGETS)).map((name) => {
    const target = TARGETS[name]
    if (!target) throw new Error(`unknown target ${name}: use ${Object.keys(TARGETS).join(', ')}`)
    return target
  })
  if (!existsSync(join(REPO, 'dist/commands/scan.js'))) {
    console.log('capture: dist/ missing, running npm run build')
    execFileSync('npm', ['run', 'build'], {cwd: REPO, stdio: 'inherit'})
  }
  if (targets.some((t) => t.id === 'debian12-stacks')) await ensureStacksRootfs()
  const dir = mkdtempSync(join(tmpdir(), 'hoist-capture-'))
  try {
    const key = join(dir, 'id_ed25519')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])
    for (const target of targets) await capture(target, dir, key)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
  // Every fixture, old and new: none may carry the planted secret (grep exits 1: none found).
  const leaks = await sh('grep', ['-rlF', '--', PLANTED_SECRET, FIXTURES])
  if (leaks.code !== 1) throw new Error(`planted secret check: grep exited ${leaks.code}: ${leaks.stdout}${leaks.stderr}`)
  console.log(`capture: no planted secret under ${relative(REPO, FIXTURES)}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})

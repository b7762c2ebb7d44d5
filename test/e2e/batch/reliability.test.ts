import {execFileSync, spawn} from 'node:child_process'
import {randomBytes, timingSafeEqual} from 'node:crypto'
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {createServer, type Server as NetServer, type Socket} from 'node:net'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import ssh2 from 'ssh2'
import type {Server as SshServer} from 'ssh2'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {WorkspaceIndex} from '../../../src/workspace/index.js'
import {hoist} from '../cli.js'
import {ensureRootfs, startFixtureHost, type FixtureHost} from '../hosts/host.js'
import {startSession, type Session} from '../session.js'

const {Server, utils} = ssh2
const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url))

// One batch where every kind of host failure happens at once, beside good hosts; then a batch
// killed with SIGKILL mid-way and resumed. Fixture hosts 43..46.
//
//   good-a   10.210.43.2  scanned
//   good-b   10.210.44.2  scanned
//   refused  10.210.43.2:2222, a closed port on a real host   → SSH_REFUSED, not retried
//   dropped  10.210.43.3, an address of good-a whose replies are blackholed inside its namespace
//            (policy routing: no iptables/nft on this machine)  → SSH_TIMEOUT, retried
//   silent   127.0.0.1:<port>, a TCP listener that accepts and never speaks → SSH_TIMEOUT, retried
//   badkey   10.210.46.2, authorized_keys holds another key    → SSH_AUTH_FAILED, not retried
//   hostkey  10.210.43.4, another address of good-a; known_hosts holds another ed25519 key for it
//                                                             → SSH_HOSTKEY_CHANGED, not retried
//   cut      10.210.45.2, its /bin/uname kills the sshd session mid-probe → SSH_FAILED or PROBE_FAILED
//   garbage  127.0.0.1:<port>, an ssh2 server whose exec writes random bytes → PROBE_FAILED
let a: Session
let b: FixtureHost
let cut: FixtureHost
let badkey: FixtureHost
let silent: NetServer
const silentSockets: Socket[] = []
let garbage: SshServer
let silentPort: number
let garbagePort: number
let garbageHostKey: string

const FAILURES = {
  refused: ['SSH_REFUSED'],
  dropped: ['SSH_TIMEOUT'],
  silent: ['SSH_TIMEOUT'],
  badkey: ['SSH_AUTH_FAILED'],
  hostkey: ['SSH_HOSTKEY_CHANGED'],
  cut: ['SSH_FAILED', 'PROBE_FAILED'],
  garbage: ['PROBE_FAILED'],
} as const
const RETRIED = new Set(['dropped', 'silent'])
const NEVER_RETRIED = ['refused', 'badkey', 'hostkey', 'garbage']

function keygen(file: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file])
  return readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')
}

async function startGarbageServer(dir: string, clientPub: string): Promise<SshServer> {
  const hostKey = join(dir, 'garbage_host_key')
  const hostPub = keygen(hostKey)
  const allowed = utils.parseKey(clientPub)
  if (allowed instanceof Error) throw allowed
  const server = new Server({hostKeys: [readFileSync(hostKey)]}, (client) => {
    client.on('error', () => {})
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey'])
      const blob = allowed.getPublicSSH()
      if (ctx.key.algo !== allowed.type || ctx.key.data.length !== blob.length || !timingSafeEqual(ctx.key.data, blob)) return ctx.reject(['publickey'])
      if (ctx.signature && allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey'])
      ctx.accept()
    })
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept()
        session.on('exec', (acceptExec) => {
          const stream = acceptExec()
          stream.on('data', () => {}) // swallow the probe script on stdin
          stream.write(randomBytes(8192))
          // A terminal escape (set title, clear screen) on the last line of stderr, which Hoist quotes.
          stream.stderr.write(Buffer.concat([randomBytes(256), Buffer.from('\n\x1b]0;hoist-pwned\x07\x1b[2Jgarbage-said-this\n')]))
          stream.exit(0)
          stream.end()
        })
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  garbagePort = (server.address() as {port: number}).port
  garbageHostKey = hostPub
  return server
}

/** C0 controls (but tab and newline), DEL and C1 controls: nothing a host sent may reach the terminal raw. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/

const index = (out: string) => JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as WorkspaceIndex

function walk(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, {withFileTypes: true, recursive: true}).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

beforeAll(async () => {
  await ensureRootfs()
  a = await startSession(startFixtureHost, {name: 'rel-good-a', index: 43})
  const ours = readFileSync(`${a.key}.pub`, 'utf8').trim()
  const otherKey = keygen(join(a.dir, 'not_ours'))
  ;[b, cut, badkey] = await Promise.all([
    startFixtureHost({name: 'rel-good-b', index: 44, authorizedKeys: [ours]}),
    startFixtureHost({name: 'rel-cut', index: 45, authorizedKeys: [ours]}),
    startFixtureHost({name: 'rel-badkey', index: 46, authorizedKeys: [otherKey]}),
  ])
  // good-a answers on .2; .3 receives packets but every reply from it is dropped; .4 is good-a's
  // sshd under an address for which known_hosts remembers another key.
  const net = await a.host.exec(
    'ip addr add 10.210.43.3/24 dev eth0 && ip addr add 10.210.43.4/24 dev eth0 && ' +
      'ip rule add from 10.210.43.3 table 100 && ip route add blackhole default table 100',
  )
  expect(net.code, net.stderr).toBe(0)
  // Runs mid-probe (sec_os): kills this host's sshd session (and its monitor), not the listener.
  const patch = await cut.exec(
    `mv /bin/uname /bin/uname.real && printf '%s\\n' '#!/bin/sh' "pkill -9 -f '^sshd: root'" 'exec /bin/uname.real "$@"' > /bin/uname && chmod 755 /bin/uname`,
  )
  expect(patch.code, patch.stderr).toBe(0)

  silent = createServer((socket) => {
    socket.on('error', () => {})
    silentSockets.push(socket)
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  silentPort = (silent.address() as {port: number}).port

  garbage = await startGarbageServer(a.dir, ours)

  const changedKey = keygen(join(a.dir, 'impostor_host_key'))
  writeFileSync(
    a.knownHosts,
    [
      a.host.knownHostsLine(),
      b.knownHostsLine(),
      cut.knownHostsLine(),
      badkey.knownHostsLine(),
      a.host.knownHostsLine().replace(a.host.address, '10.210.43.3'),
      `10.210.43.4 ${changedKey}`,
      `[127.0.0.1]:${garbagePort} ${garbageHostKey}`,
      '',
    ].join('\n'),
  )
}, 600_000)

afterAll(async () => {
  for (const s of silentSockets) s.destroy()
  await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)))
  await new Promise((resolve) => (garbage ? garbage.close(resolve) : resolve(undefined)))
  await Promise.all([a?.host.stop(), b?.stop(), cut?.stop(), badkey?.stop()])
})

let mixed: {stderr: string; hosts: WorkspaceIndex['hosts']} | undefined

describe('a batch where every kind of failure happens at once', () => {
  it('scans the good hosts, records each failure with its code, retries only the transient ones, exits 3', async () => {
    const inventory = join(a.dir, 'mixed.csv')
    writeFileSync(
      inventory,
      [
        'name,host,user,port,tags',
        `good-a,${a.host.address},root,22,good`,
        `good-b,${b.address},root,22,good`,
        `refused,${a.host.address},root,2222,bad`,
        'dropped,10.210.43.3,root,22,bad',
        `silent,127.0.0.1,root,${silentPort},bad`,
        `badkey,${badkey.address},root,22,bad`,
        'hostkey,10.210.43.4,root,22,bad',
        `cut,${cut.address},root,22,bad`,
        `garbage,127.0.0.1,root,${garbagePort},bad`,
      ].join('\n'),
    )
    const out = join(a.dir, 'mixed-out')
    const started = Date.now()
    const r = await hoist(
      ['scan', '--inventory', inventory, '--identity', a.key, '--known-hosts', a.knownHosts, '--out', out, '--connect-timeout', '3s', '--retries', '1', '--concurrency', '9'],
      170_000,
    )
    const elapsed = Date.now() - started
    const detail = `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`
    const hosts = index(out).hosts
    mixed = {stderr: r.stderr, hosts}

    // The good hosts complete, with their facts.
    for (const [name, host] of [['good-a', a.host], ['good-b', b]] as const) {
      expect(hosts[name]?.status, detail).toBe('scanned')
      expect(JSON.parse(readFileSync(join(out, 'hosts', name, 'facts.json'), 'utf8')).host.hostname, detail).toBe(host.name)
      expect(r.stderr).toMatch(new RegExp(`^${name}: ✓ scanned`, 'm'))
    }
    // Each failure: its code in index.json, no facts, and a stderr line that names the host.
    for (const [name, codes] of Object.entries(FAILURES)) {
      const entry = hosts[name]
      expect(entry, `${name} missing from index.json\n${detail}`).toBeDefined()
      expect(entry?.status, `${name}\n${detail}`).toBe('failed')
      expect(codes as readonly string[], `${name}: ${JSON.stringify(entry?.error)}\n${detail}`).toContain(entry?.error?.code)
      expect(entry?.error?.message, name).toBeTruthy()
      expect(entry?.error?.suggestion, name).toBeTruthy()
      expect(existsSync(join(out, 'hosts', name, 'facts.json')), `${name} has facts.json`).toBe(false)
      expect(r.stderr, detail).toMatch(new RegExp(`^${name}: ✗ `, 'm'))
    }
    expect(hosts.garbage?.error?.message).toMatch(/not a probe output|did not run/)
    // Retries: only the network failures (and SSH_FAILED, when the cut host ends in it).
    for (const name of RETRIED) expect(r.stderr, detail).toMatch(new RegExp(`^${name}: SSH_TIMEOUT, retrying`, 'm'))
    if (hosts.cut?.error?.code === 'SSH_FAILED') expect(r.stderr, detail).toMatch(/^cut: SSH_FAILED, retrying/m)
    for (const name of NEVER_RETRIED) expect(r.stderr, detail).not.toMatch(new RegExp(`^${name}: .*retrying`, 'm'))

    expect(r.stdout, detail).toMatch(/9 hosts: 2 scanned, 7 failed, 0 skipped/)
    expect(r.code, detail).toBe(3)
    expect(Object.keys(hosts).sort()).toEqual(['good-a', 'good-b', ...Object.keys(FAILURES)].sort())
    expect(walk(out).filter((f) => f.endsWith('.tmp'))).toEqual([])
    console.log(`mixed batch: ${elapsed} ms; cut → ${JSON.stringify(hosts.cut?.error)}`)
    for (const l of r.stderr.split('\n').filter((x) => / ✗ |retrying/.test(x))) console.log(`  ${JSON.stringify(l).slice(0, 200)}`)
  }, 180_000)

  it('what a hostile host printed reaches neither the terminal nor index.json with its control characters', () => {
    expect(mixed, 'the batch above did not run').toBeDefined()
    const message = mixed!.hosts.garbage?.error?.message ?? ''
    expect(message).toContain('garbage-said-this')
    const shown = (text: string) => JSON.stringify(text.match(new RegExp(`.{0,40}${CONTROL.source}.{0,40}`))?.[0])
    expect(CONTROL.test(message), `index.json error message holds a control character: ${shown(message)}`).toBe(false)
    const line = mixed!.stderr.split('\n').find((l) => l.startsWith('garbage: ✗')) ?? ''
    expect(CONTROL.test(line), `hoist's stderr line for the host holds a control character: ${shown(line)}`).toBe(false)
  })
})

describe('a batch killed with SIGKILL', () => {
  it('resumes: what was done is skipped untouched, the rest is scanned once, nothing half-written is left', async () => {
    const names = ['slow-1', 'slow-2', 'slow-3', 'slow-4', 'slow-5', 'slow-6']
    const inventory = join(a.dir, 'slow.csv')
    writeFileSync(inventory, ['name,host,user,port', ...names.map((n, i) => `${n},${i % 2 ? b.address : a.host.address},root,22`)].join('\n'))
    const out = join(a.dir, 'slow-out')
    const args = ['scan', '--inventory', inventory, '--identity', a.key, '--known-hosts', a.knownHosts, '--out', out, '--connect-timeout', '5s', '--sample', '5s', '--concurrency', '2']

    const child = spawn(process.execPath, [BIN, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, SSH_AUTH_SOCK: ''}})
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout.resume()
    const closed = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => child.on('close', (code, signal) => resolve({code, signal})))
    const deadline = Date.now() + 90_000
    const facts = () => names.filter((n) => existsSync(join(out, 'hosts', n, 'facts.json')))
    while (facts().length === 0) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no facts.json appeared before the kill (exit ${child.exitCode})\n${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    child.kill('SIGKILL')
    const killed = await closed
    expect(killed.signal).toBe('SIGKILL')

    const factsAtKill = facts()
    const indexAtKill: WorkspaceIndex = existsSync(join(out, 'index.json')) ? index(out) : {version: 1, hosts: {}}
    const done = names.filter((n) => indexAtKill.hosts[n]?.status === 'scanned')
    const before = new Map(done.map((n) => [n, readFileSync(join(out, 'hosts', n, 'facts.json'))]))
    const tmpAtKill = walk(out).filter((f) => f.endsWith('.tmp'))
    console.log(`killed: facts for [${factsAtKill}], index 'scanned' for [${done}], tmp files left by the kill: [${tmpAtKill.map((f) => f.slice(out.length + 1))}]`)
    for (const n of factsAtKill) expect(() => JSON.parse(readFileSync(join(out, 'hosts', n, 'facts.json'), 'utf8')), n).not.toThrow()

    const again = await hoist(args, 170_000)
    const detail = `exit ${again.code}\n--- stdout\n${again.stdout}\n--- stderr\n${again.stderr}`
    expect(again.code, detail).toBe(0)
    expect(again.stdout, detail).toMatch(new RegExp(`6 hosts: ${6 - done.length} scanned, 0 failed, ${done.length} skipped`))
    for (const n of done) {
      expect(again.stderr, detail).toMatch(new RegExp(`^${n}: skipped`, 'm'))
      expect(readFileSync(join(out, 'hosts', n, 'facts.json')).equals(before.get(n)!), `${n}'s facts.json changed`).toBe(true)
    }
    for (const n of names.filter((x) => !done.includes(x))) expect(again.stderr, detail).toMatch(new RegExp(`^${n}: ✓ scanned`, 'm'))

    const raw = readFileSync(join(out, 'index.json'), 'utf8')
    const hosts = JSON.parse(raw).hosts as WorkspaceIndex['hosts']
    expect(Object.keys(hosts).sort()).toEqual(names)
    for (const n of names) {
      expect(hosts[n]?.status, n).toBe('scanned')
      expect(raw.split(`"${n}":`).length - 1, `${n} appears more than once in index.json`).toBe(1)
      const f = JSON.parse(readFileSync(join(out, 'hosts', n, 'facts.json'), 'utf8'))
      expect(f.host.name).toBe(n)
    }
    expect(walk(out).filter((f) => f.endsWith('.tmp')).map((f) => f.slice(out.length + 1)), 'temporary files left in the workspace').toEqual([])
  }, 240_000)
})

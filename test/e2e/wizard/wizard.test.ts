import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {hoist} from '../cli.js'
import {ensureRootfs, startFixtureHost} from '../hosts/host.js'
import {startSession, type Session} from '../session.js'

// The wizard as a person meets it: bare `hoist` in a real terminal (tmux), read off the screen,
// against a real fixture host whose key this user has never seen.
const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url))
const TMUX = 'hoist-wizard'
let s: Session
let home: string

beforeAll(async () => {
  await ensureRootfs()
  s = await startSession(startFixtureHost, {name: 'wizard', index: 90})
  // An empty known_hosts in a HOME of its own: the wizard must show the fingerprint and ask.
  home = join(s.dir, 'home')
  mkdirSync(join(home, '.ssh'), {recursive: true, mode: 0o700})
  writeFileSync(join(home, '.ssh', 'known_hosts'), '')
}, 600_000)

afterAll(async () => {
  try {
    execFileSync('tmux', ['kill-session', '-t', TMUX], {stdio: 'ignore'})
  } catch {
    // already gone
  }
  await s?.host.stop()
})

function screen(): string {
  return execFileSync('tmux', ['capture-pane', '-p', '-J', '-S', '-2000', '-t', TMUX]).toString()
}

function keys(...k: string[]): void {
  execFileSync('tmux', ['send-keys', '-t', TMUX, ...k])
}

/** The question waiting for an answer: inquirer draws it as `? message` until it is answered. */
function activePrompt(text: string): string | undefined {
  return text.split('\n').filter((l) => l.startsWith('? ')).at(-1)
}

describe('the wizard in a terminal', () => {
  it('walks through target, key, trust, choices and prices, then lifts the host; the answers replay', async () => {
    const address = s.host.address
    const blob = s.host.knownHostsLine().split(' ')[2]!
    const fingerprint = `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`
    const command = `cd ${s.dir} && env HOME=${home} SSH_AUTH_SOCK= ${process.execPath} ${BIN}; echo "EXIT=$?"; sleep 300`
    execFileSync('tmux', ['new-session', '-d', '-s', TMUX, '-x', '200', '-y', '50', command])

    const asked: string[] = []
    let answered: string | undefined
    for (let i = 0; i < 3000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100))
      const text = screen()
      if (text.includes('EXIT=')) break
      const prompt = activePrompt(text)
      // Typing redraws the prompt line with the answer: a prompt is known by its message's start.
      if (!prompt || prompt.slice(0, 40) === answered) continue
      answered = prompt.slice(0, 40)
      asked.push(prompt)
      if (prompt.includes('Which host?')) keys(`root@${address}`, 'Enter')
      else if (prompt.includes('Private key file')) keys(s.key, 'Enter')
      else if (prompt.includes('Sample CPU')) keys('2s', 'Enter')
      else if (prompt.includes('Output folder')) keys('out', 'Enter')
      else if (prompt.includes('Trust the')) {
        expect(prompt).toContain(`Trust the ssh-ed25519 key ${fingerprint} of root@${address}`)
        keys('y', 'Enter')
      } else if (prompt.includes('Applications to lift')) {
        // Move the cursor down to redis and untick it; everything else stays ticked.
        for (let n = 0; n < 20 && !/❯.*Lift redis/.test(screen()); n++) {
          keys('Down')
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
        keys('Space', 'Enter')
      } else if (prompt.includes('Name of nginx')) keys('web', 'Enter')
      else if (prompt.includes('Currency')) keys('USD', 'Enter')
      else if (prompt.includes('Price per vCPU-hour')) keys('0.05', 'Enter')
      else keys('Enter') // sudo: no; other names kept; base images as planned; GiB price: default
    }
    const final = screen()
    expect(final, final).toContain('Done. Everything is under out/:')
    expect(asked.slice(0, 5).map((p) => p.slice(2, 22))).toEqual(['Which host? [user@]h', 'Private key file (em', 'Probe with sudo? (y/', 'Sample CPU and memor', 'Output folder (hoist'])
    expect(final).toContain(`The host key of root@${address} is not known: ssh-ed25519 ${fingerprint}`)
    expect(final).toMatch(/redis\s+cache\s+6379\/tcp\s+confidence/)

    const out = join(s.dir, 'out')
    const host = join(out, 'hosts', address)
    expect(readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8')).toContain(blob)
    const answers = parse(readFileSync(join(out, 'answers.yaml'), 'utf8')) as Record<string, unknown>
    expect(answers).toMatchObject({'target': `root@${address}`, 'identity': s.key, 'trust-host-key': true, 'sudo': false, 'sample': '2s',
      'services.redis.include': false, 'services.nginx.rename': 'web', 'prices.currency': 'USD', 'prices.vcpu-hour': 0.05})
    const plan = parse(readFileSync(join(host, 'plan.yaml'), 'utf8')) as {services: {name: string; workload: string; include: boolean; dependsOn: string[]}[]}
    expect(plan.services.find((x) => x.workload === 'nginx')?.name).toBe('web')
    expect(plan.services.find((x) => x.workload === 'redis')?.include).toBe(false)
    expect(plan.services.flatMap((x) => x.dependsOn)).not.toContain('nginx')
    expect(existsSync(join(host, 'services', 'web', 'Dockerfile'))).toBe(true)
    expect(existsSync(join(host, 'services', 'redis'))).toBe(false)
    expect(readFileSync(join(s.dir, 'hoist.yaml'), 'utf8')).toMatch(/prices:\n\s+currency: USD\n\s+vcpuHour: 0.05/)

    // The report comes last and is another command: it lists its files, or says it is not there yet.
    expect(final).toMatch(/^ {2}report\.html$|report skipped/m)
    expect(final).toContain('EXIT=0')

    // The same answers, without a terminal: nothing is asked, the same choices come out.
    const out2 = join(s.dir, 'out2')
    const replay = await hoist(['wizard', '--answers', join(out, 'answers.yaml'), '--out', out2, '--known-hosts', join(home, '.ssh', 'known_hosts'), '--config', join(s.dir, 'hoist.yaml')], 300_000)
    expect(replay.code, replay.stderr).toBe(0)
    expect(replay.stdout).not.toMatch(/^\? /m)
    expect(existsSync(join(out2, 'hosts', address, 'services', 'web', 'Dockerfile'))).toBe(true)
    expect(existsSync(join(out2, 'hosts', address, 'services', 'redis'))).toBe(false)
  }, 600_000)
})

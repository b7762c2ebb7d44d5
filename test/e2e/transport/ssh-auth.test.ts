import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import ssh2 from 'ssh2'
import type {AuthContext, Server as SshServer} from 'ssh2'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {connectSsh, sshPrompterFromTty, type SshConnectOptions, type SshPrompter, type SshTransport} from '../../../src/collect/transport/ssh.js'
import type {SshTarget} from '../../../src/collect/transport/target.js'
import {makeKey, startSshd, type RunningSshd} from './sshd.js'

const {Server} = ssh2
const run = promisify(execFile)
const PASSWORD = 's3cret-horse'

let dir: string
let knownHosts: string
const open: SshTransport[] = []
const servers: SshServer[] = []

function target(port: number, identityFiles: string[] = []): SshTarget {
  return {label: `root@127.0.0.1:${port}`, host: '127.0.0.1', port, user: 'root', identityFiles, proxyJump: [], configHints: {}}
}

async function connect(t: SshTarget, extra: Partial<SshConnectOptions> = {}): Promise<SshTransport> {
  const transport = await connectSsh(t, {knownHostsPath: knownHosts, globalKnownHostsPaths: [], agentSocket: false, connectTimeoutMs: 5_000, authTimeoutMs: 10_000, ...extra})
  open.push(transport)
  return transport
}

function prompter(answers: {password?: (question: string) => Promise<string>; passphrase?: (question: string) => Promise<string>}): SshPrompter {
  const refuse = async (): Promise<string> => {
    throw new Error('unexpected prompt')
  }
  return {password: answers.password ?? refuse, passphrase: answers.passphrase ?? refuse}
}

/**
 * A real SSH server from ssh2's own server side, for the password and keyboard-interactive paths
 * (the OpenSSH test server runs as root, whose password the tests must not touch).
 */
async function startPeer(onAuth: (ctx: AuthContext) => void): Promise<number> {
  const key = join(dir, `peer_host_key_${servers.length}`)
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])
  const server = new Server({hostKeys: [await readFile(key)]}, (client) => {
    client.on('error', () => {})
    client.on('authentication', onAuth)
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().once('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec()
          stream.write(`peer ran: ${info.command}\n`)
          stream.exit(0)
          stream.end()
        })
      })
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as {port: number}).port
  const pub = (await readFile(`${key}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ')
  await writeFile(knownHosts, `[127.0.0.1]:${port} ${pub}\n`, {flag: 'a'})
  return port
}

beforeAll(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'hoist-ssh-auth-'))
  knownHosts = join(dir, 'known_hosts')
})

afterAll(async () => {
  await Promise.all(open.map((transport) => transport.close()))
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  await rm(dir, {recursive: true, force: true})
})

describe('password and keyboard-interactive', () => {
  let passwordPort: number
  let keyboardPort: number
  let silentKeyboardPort: number

  beforeAll(async () => {
    passwordPort = await startPeer((ctx) => {
      if (ctx.method === 'password' && ctx.password === PASSWORD) return ctx.accept()
      ctx.reject(['password'])
    })
    keyboardPort = await startPeer((ctx) => {
      if (ctx.method !== 'keyboard-interactive') return ctx.reject(['keyboard-interactive'])
      ctx.prompt([{prompt: 'Verification code: ', echo: false}], 'Two-step login', (answers) => (answers[0] === '424242' ? ctx.accept() : ctx.reject(['keyboard-interactive'])))
    })
    // Offers keyboard-interactive but asks nothing (as sshd without PAM does): the client must move on to password.
    silentKeyboardPort = await startPeer((ctx) => {
      if (ctx.method === 'password' && ctx.password === PASSWORD) return ctx.accept()
      ctx.reject(['keyboard-interactive', 'password'])
    })
  })

  it('asks for a password through the prompt and logs in', async () => {
    const asked: string[] = []
    const ssh = await connect(target(passwordPort), {prompt: prompter({password: async (question) => (asked.push(question), PASSWORD)})})
    expect(asked).toEqual([`Password for root@127.0.0.1:${passwordPort}:`])
    expect((await ssh.exec('uptime', {timeoutMs: 5_000, maxBytes: 100})).stdout.toString()).toBe('peer ran: uptime\n')
  })

  it('answers keyboard-interactive prompts', async () => {
    const asked: string[] = []
    await connect(target(keyboardPort), {prompt: prompter({password: async (question) => (asked.push(question), '424242')})})
    expect(asked).toHaveLength(1)
    expect(asked[0]).toContain('Verification code:')
  })

  it('falls back to password when keyboard-interactive asks nothing', async () => {
    let asked = 0
    await connect(target(silentKeyboardPort), {prompt: prompter({password: async () => (asked++, PASSWORD)})})
    expect(asked).toBe(1)
  })

  it('stops after three wrong passwords and never repeats them', async () => {
    let asked = 0
    const error = await connect(target(passwordPort), {prompt: prompter({password: async () => `guess-${++asked}`})}).catch((caught: unknown) => caught)
    expect(asked).toBe(3)
    expect(error).toMatchObject({code: 'SSH_AUTH_FAILED', host: `root@127.0.0.1:${passwordPort}`, message: expect.stringContaining('password')})
    expect(`${(error as Error).message} ${(error as {suggestion: string}).suggestion}`).not.toContain('guess-')
  })

  it('never prompts without a terminal and says so', async () => {
    const error = await connect(target(passwordPort)).catch((caught: unknown) => caught)
    expect(error).toMatchObject({code: 'SSH_AUTH_FAILED', message: expect.stringContaining('no terminal to ask for a password')})
    expect((error as Error).message).toContain('The server accepts: password')
  })

  it('stops when the person cancels the prompt', async () => {
    const error = await connect(target(passwordPort), {
      prompt: prompter({
        password: async () => {
          throw new Error('User force closed the prompt')
        },
      }),
    }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({code: 'SSH_AUTH_FAILED', message: expect.stringContaining('cancelled')})
  })

  it('does not count time at the prompt against the auth timeout', async () => {
    const slow = prompter({password: () => new Promise((resolve) => setTimeout(() => resolve(PASSWORD), 900))})
    const ssh = await connect(target(passwordPort), {prompt: slow, authTimeoutMs: 300})
    expect(ssh.label).toBe(`root@127.0.0.1:${passwordPort}`)
  })

  it('times out in the auth phase when the server never answers', async () => {
    const port = await startPeer(() => {})
    const started = Date.now()
    const error = await connect(target(port), {authTimeoutMs: 400}).catch((caught: unknown) => caught)
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(error).toMatchObject({code: 'SSH_TIMEOUT', host: `root@127.0.0.1:${port}`, message: expect.stringContaining('auth phase')})
  })

  it('has no terminal prompter under the test runner', () => {
    expect(process.stdin.isTTY).toBeFalsy()
    expect(sshPrompterFromTty()).toBeUndefined()
  })
})

describe('ssh-agent', () => {
  let sshd: RunningSshd
  let agent: ChildProcess
  let socket: string
  let key: {file: string; publicLine: string}

  beforeAll(async () => {
    key = await makeKey(dir, 'id_in_agent')
    sshd = await startSshd({authorizedKeys: [key.publicLine]})
    await writeFile(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyPubLines[0]}\n`, {flag: 'a'})
    socket = join(dir, 'agent.sock')
    agent = spawn('ssh-agent', ['-D', '-a', socket], {stdio: 'ignore'})
    const deadline = Date.now() + 5_000
    while (!existsSync(socket) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25))
    await run('ssh-add', [key.file], {env: {...process.env, SSH_AUTH_SOCK: socket}})
  })

  afterAll(async () => {
    if (agent.exitCode === null) {
      const exited = new Promise((resolve) => agent.once('exit', resolve))
      agent.kill('SIGTERM')
      await exited
    }
    await sshd.stop()
  })

  it('logs in with a key held by the agent, with no key file given', async () => {
    const ssh = await connect(target(sshd.port), {agentSocket: socket})
    expect((await ssh.exec('echo agent-ok', {timeoutMs: 5_000, maxBytes: 100})).stdout.toString()).toBe('agent-ok\n')
  })

  it('carries on with key files when the agent socket is dead', async () => {
    const ssh = await connect(target(sshd.port, [key.file]), {agentSocket: join(dir, 'no-agent.sock')})
    expect(ssh.notes.join('\n')).toMatch(/no-agent\.sock|ENOENT/)
    expect((await ssh.exec('echo key-ok', {timeoutMs: 5_000, maxBytes: 100})).exitCode).toBe(0)
  })
})

import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {createServer, type Server, type Socket} from 'node:net'
import os from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {dial} from '../../../src/collect/transport/dial.js'
import {fingerprintSha256} from '../../../src/collect/transport/known-hosts.js'
import {openJumpChains} from '../../../src/collect/transport/ssh-jumps.js'
import {connectSsh, type SshConnectOptions, type SshPrompter, type SshTransport} from '../../../src/collect/transport/ssh.js'
import type {SshTarget} from '../../../src/collect/transport/target.js'
import {freePort, makeKey, startSshd, type RunningSshd} from './sshd.js'

let dir: string
let sshdA: RunningSshd
let sshdB: RunningSshd
let clientKey: {file: string; publicLine: string}
let lockedKey: {file: string; publicLine: string}
let strangerKey: {file: string; publicLine: string}
let knownHosts: string
const PASSPHRASE = 'correct horse battery'
const open: SshTransport[] = []

function target(port: number, identityFiles: string[], proxyJump: SshTarget[] = []): SshTarget {
  return {label: `root@127.0.0.1:${port}`, host: '127.0.0.1', port, user: 'root', identityFiles, proxyJump, configHints: {}}
}

function hostLine(sshd: RunningSshd): string {
  return `[127.0.0.1]:${sshd.port} ${sshd.hostKeyPubLines[0]}`
}

function hostFingerprint(sshd: RunningSshd): string {
  return fingerprintSha256(Buffer.from((sshd.hostKeyPubLines[0] as string).split(' ')[1] as string, 'base64'))
}

function options(extra: Partial<SshConnectOptions> = {}): SshConnectOptions {
  return {knownHostsPath: knownHosts, globalKnownHostsPaths: [], agentSocket: false, connectTimeoutMs: 5_000, authTimeoutMs: 10_000, ...extra}
}

async function connect(t: SshTarget, extra: Partial<SshConnectOptions> = {}): Promise<SshTransport> {
  const transport = await connectSsh(t, options(extra))
  open.push(transport)
  return transport
}

const failingPrompter: SshPrompter = {
  password: async () => {
    throw new Error('no password prompt expected')
  },
  passphrase: async () => {
    throw new Error('no passphrase prompt expected')
  },
}

beforeAll(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'hoist-ssh-e2e-'))
  clientKey = await makeKey(dir, 'id_client')
  lockedKey = await makeKey(dir, 'id_locked', PASSPHRASE)
  strangerKey = await makeKey(dir, 'id_stranger')
  sshdA = await startSshd({authorizedKeys: [clientKey.publicLine, lockedKey.publicLine]})
  sshdB = await startSshd({authorizedKeys: [clientKey.publicLine]})
  knownHosts = join(dir, 'known_hosts')
  await writeFile(knownHosts, `${hostLine(sshdA)}\n${hostLine(sshdB)}\n`, {mode: 0o600})
})

afterAll(async () => {
  await Promise.all(open.map((transport) => transport.close()))
  await Promise.all([sshdA?.stop(), sshdB?.stop()])
  await rm(dir, {recursive: true, force: true})
})

describe('exec', () => {
  it('runs a command and reports its exit code and stderr', async () => {
    const ssh = await connect(target(sshdA.port, [clientKey.file]))
    expect(ssh).toMatchObject({kind: 'ssh', label: `root@127.0.0.1:${sshdA.port}`, hostKey: {keyType: 'ssh-ed25519', fingerprint: hostFingerprint(sshdA), recorded: false}})
    const hi = await ssh.exec('echo hi', {timeoutMs: 10_000, maxBytes: 1024})
    expect(hi).toMatchObject({exitCode: 0, timedOut: false, truncated: false, stderr: ''})
    expect(hi.stdout.toString()).toBe('hi\n')
    const failing = await ssh.exec('echo oops >&2; exit 3', {timeoutMs: 10_000, maxBytes: 1024})
    expect(failing).toMatchObject({exitCode: 3, stderr: 'oops\n'})
  })

  it('feeds a script on stdin to sh -s', async () => {
    const ssh = await connect(target(sshdA.port, [clientKey.file]))
    const result = await ssh.exec('sh -s', {stdin: 'echo one\nprintf "%s\\n" "$((6 * 7))"\nexit 5\n', timeoutMs: 10_000, maxBytes: 1024})
    expect(result.stdout.toString()).toBe('one\n42\n')
    expect(result.exitCode).toBe(5)
  })

  it('stops at maxBytes, ends the command and keeps the connection usable', async () => {
    const ssh = await connect(target(sshdA.port, [clientKey.file]))
    let streamed = 0
    const result = await ssh.exec('yes | head -c 10000000', {timeoutMs: 20_000, maxBytes: 100_000, onStdout: (chunk) => (streamed += chunk.length)})
    expect(result).toMatchObject({truncated: true, timedOut: false, exitCode: null})
    expect(result.stdout.length).toBe(100_000)
    expect(streamed).toBe(100_000)
    expect(result.stdout.subarray(0, 4).toString()).toBe('y\ny\n')
    expect((await ssh.exec('echo still-here', {timeoutMs: 10_000, maxBytes: 100})).stdout.toString()).toBe('still-here\n')
  })

  it('ends a command at timeoutMs promptly', async () => {
    const ssh = await connect(target(sshdA.port, [clientKey.file]))
    let remotePid = 0
    const started = Date.now()
    const result = await ssh.exec('echo $$; exec sleep 30', {timeoutMs: 800, maxBytes: 1024, onStdout: (chunk) => (remotePid = Number(chunk.toString().trim()))})
    try {
      expect(result).toMatchObject({timedOut: true, truncated: false, exitCode: null})
      expect(Date.now() - started).toBeLessThan(3_000)
      expect(result.durationMs).toBeGreaterThanOrEqual(750)
    } finally {
      // sshd refuses signal requests for root sessions, so the remote sleep may outlive its channel here.
      if (remotePid > 0) {
        try {
          process.kill(remotePid, 'SIGKILL')
        } catch {}
      }
    }
  })

  it('keeps only the first 64 KiB of stderr without stalling the command', async () => {
    const ssh = await connect(target(sshdA.port, [clientKey.file]))
    const result = await ssh.exec("head -c 300000 /dev/zero | tr '\\0' e >&2; echo done", {timeoutMs: 10_000, maxBytes: 1024})
    expect(result).toMatchObject({exitCode: 0, timedOut: false, truncated: false})
    expect(result.stdout.toString()).toBe('done\n')
    expect(result.stderr).toBe('e'.repeat(64 * 1024))
  })

  it('rejects with SSH_FAILED naming the host when the connection dies mid-command', async () => {
    const ssh = await connect(target(sshdA.port, [clientKey.file]))
    let sleeper = 0
    const pending = ssh.exec('echo $PPID $$; exec sleep 30', {
      timeoutMs: 20_000,
      maxBytes: 1024,
      onStdout: (chunk) => {
        // $PPID is this session's sshd process, a child of the sshd the test started; $$ becomes the sleep.
        const [session, shell] = chunk.toString().trim().split(' ').map(Number)
        if (sleeper === 0 && session && shell) {
          sleeper = shell
          process.kill(session, 'SIGKILL')
        }
      },
    })
    try {
      await expect(pending).rejects.toMatchObject({code: 'SSH_FAILED', host: ssh.label, message: expect.stringContaining(ssh.label)})
      await expect(ssh.exec('echo again', {timeoutMs: 1_000, maxBytes: 10})).rejects.toMatchObject({code: 'SSH_FAILED'})
    } finally {
      if (sleeper > 0) {
        try {
          process.kill(sleeper, 'SIGKILL')
        } catch {}
      }
    }
  })
})

describe('host keys', () => {
  it('refuses an unknown host key with its fingerprint and writes nothing', async () => {
    const missing = join(dir, 'empty', 'known_hosts')
    const error = await connect(target(sshdA.port, [clientKey.file]), {knownHostsPath: missing}).catch((caught: unknown) => caught)
    expect(error).toMatchObject({code: 'SSH_HOSTKEY_UNKNOWN', host: `root@127.0.0.1:${sshdA.port}`})
    const {message, suggestion} = error as {message: string; suggestion: string}
    expect(message).toContain('ssh-ed25519')
    expect(message).toContain(hostFingerprint(sshdA))
    expect(suggestion).toContain('--accept-new')
    expect(suggestion).toContain(`ssh-keyscan -p ${sshdA.port} 127.0.0.1 >> ${missing}`)
    expect(existsSync(join(dir, 'empty'))).toBe(false)
  })

  it('records an unknown key with acceptNew, then connects strictly', async () => {
    const file = join(dir, 'tofu', 'known_hosts')
    const first = await connect(target(sshdA.port, [clientKey.file]), {knownHostsPath: file, acceptNew: true})
    expect(first.hostKey).toMatchObject({recorded: true, lookupName: `[127.0.0.1]:${sshdA.port}`})
    expect(first.notes.join('\n')).toContain(hostFingerprint(sshdA))
    expect(await readFile(file, 'utf8')).toBe(`${hostLine(sshdA)}\n`)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect((await stat(join(dir, 'tofu'))).mode & 0o777).toBe(0o700)
    const second = await connect(target(sshdA.port, [clientKey.file]), {knownHostsPath: file})
    expect(second.hostKey.recorded).toBe(false)
    expect((await second.exec('echo ok', {timeoutMs: 5_000, maxBytes: 10})).exitCode).toBe(0)
  })

  it('refuses a changed key loudly, even with acceptNew, and leaves known_hosts alone', async () => {
    const file = join(dir, 'changed_known_hosts')
    const other = await makeKey(dir, 'impostor')
    const content = `# first line\n[127.0.0.1]:${sshdA.port} ${other.publicLine.split(' ').slice(0, 2).join(' ')}\n`
    await writeFile(file, content)
    const error = await connect(target(sshdA.port, [clientKey.file]), {knownHostsPath: file, acceptNew: true}).catch((caught: unknown) => caught)
    expect(error).toMatchObject({code: 'SSH_HOSTKEY_CHANGED', host: `root@127.0.0.1:${sshdA.port}`})
    const {message, suggestion} = error as {message: string; suggestion: string}
    expect(message).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED')
    expect(message).toContain(hostFingerprint(sshdA))
    expect(message).toContain(`${file}:2`)
    expect(suggestion).toContain('ssh-keygen -R')
    expect(await readFile(file, 'utf8')).toBe(content)
  })

  it('looks the key up under HostKeyAlias when one is set', async () => {
    const file = join(dir, 'alias_known_hosts')
    await writeFile(file, `db-primary ${sshdA.hostKeyPubLines[0]}\n`)
    const ssh = await connect({...target(sshdA.port, [clientKey.file]), hostKeyAlias: 'db-primary'}, {knownHostsPath: file})
    expect(ssh.hostKey.lookupName).toBe('db-primary')
    await expect(connect(target(sshdA.port, [clientKey.file]), {knownHostsPath: file})).rejects.toMatchObject({code: 'SSH_HOSTKEY_UNKNOWN'})
  })

  it('asks for the key type known_hosts already holds, as OpenSSH does', async () => {
    const both = await startSshd({authorizedKeys: [clientKey.publicLine], hostKeyTypes: ['ed25519', 'rsa']})
    try {
      const file = join(dir, 'rsa_only_known_hosts')
      await writeFile(file, `[127.0.0.1]:${both.port} ${both.hostKeyPubLines[1]}\n`)
      const ssh = await connect(target(both.port, [clientKey.file]), {knownHostsPath: file})
      expect(ssh.hostKey.keyType).toBe('ssh-rsa')
      await ssh.close()
    } finally {
      await both.stop()
    }
  })

  it('refuses a revoked key', async () => {
    const file = join(dir, 'revoked_known_hosts')
    await writeFile(file, `${hostLine(sshdA)}\n@revoked * ${sshdA.hostKeyPubLines[0]}\n`)
    await expect(connect(target(sshdA.port, [clientKey.file]), {knownHostsPath: file, acceptNew: true})).rejects.toMatchObject({
      code: 'SSH_HOSTKEY_REVOKED',
      host: `root@127.0.0.1:${sshdA.port}`,
      message: expect.stringContaining(`${file}:2`),
    })
  })
})

describe('authentication', () => {
  it('fails with SSH_AUTH_FAILED naming the host and what was tried', async () => {
    const error = await connect(target(sshdA.port, [strangerKey.file, join(dir, 'no-such-key')])).catch((caught: unknown) => caught)
    expect(error).toMatchObject({code: 'SSH_AUTH_FAILED', host: `root@127.0.0.1:${sshdA.port}`})
    const {message, suggestion} = error as {message: string; suggestion: string}
    expect(message).toContain(`root@127.0.0.1:${sshdA.port}`)
    expect(message).toContain(`key ${strangerKey.file}`)
    expect(message).toContain('not found')
    expect(message).toContain('The server accepts: publickey')
    expect(suggestion).toContain('--identity')
  })

  it('uses an encrypted key when a prompt supplies the passphrase', async () => {
    const asked: string[] = []
    const prompt: SshPrompter = {
      ...failingPrompter,
      passphrase: async (question) => {
        asked.push(question)
        return PASSPHRASE
      },
    }
    const ssh = await connect(target(sshdA.port, [lockedKey.file]), {prompt})
    expect(asked).toEqual([`Passphrase for key ${lockedKey.file}:`])
    expect((await ssh.exec('echo unlocked', {timeoutMs: 5_000, maxBytes: 100})).stdout.toString()).toBe('unlocked\n')
  })

  it('skips an encrypted key without a prompt and says why', async () => {
    const error = await connect(target(sshdA.port, [lockedKey.file])).catch((caught: unknown) => caught)
    expect(error).toMatchObject({code: 'SSH_AUTH_FAILED', host: `root@127.0.0.1:${sshdA.port}`})
    expect((error as Error).message).toContain('encrypted, and no terminal to ask for its passphrase')
  })

  it('gives up after three wrong passphrases without echoing them', async () => {
    let asked = 0
    const prompt: SshPrompter = {
      ...failingPrompter,
      passphrase: async () => {
        asked++
        return `wrong-${asked}`
      },
    }
    const error = await connect(target(sshdA.port, [lockedKey.file]), {prompt}).catch((caught: unknown) => caught)
    expect(asked).toBe(3)
    expect(error).toMatchObject({code: 'SSH_AUTH_FAILED'})
    expect(JSON.stringify({...(error as object), message: (error as Error).message})).not.toContain('wrong-')
  })
})

describe('connection failures', () => {
  it('maps a closed port to SSH_REFUSED', async () => {
    const port = await freePort()
    await expect(connect(target(port, [clientKey.file]))).rejects.toMatchObject({code: 'SSH_REFUSED', host: `root@127.0.0.1:${port}`, message: expect.stringContaining(`127.0.0.1:${port}`)})
  })

  it('reports a dialled connection that failed before ssh2 took it over as SSH_REFUSED, and one that succeeded as usual', async () => {
    const port = await freePort()
    const closed = dial('127.0.0.1', port)
    await new Promise((resolve) => closed.once('close', resolve))
    await expect(connect(target(port, [clientKey.file]), {socket: closed})).rejects.toMatchObject({code: 'SSH_REFUSED'})
    const open = dial('127.0.0.1', sshdA.port)
    await new Promise((resolve) => open.once('connect', resolve))
    const transport = await connect(target(sshdA.port, [clientKey.file]), {socket: open})
    try {
      expect((await transport.exec('echo dialled', {timeoutMs: 10_000, maxBytes: 1024})).stdout.toString()).toBe('dialled\n')
    } finally {
      await transport.close()
    }
  })

  it('times out quickly on a listener that never speaks SSH', async () => {
    const sockets: Socket[] = []
    const server: Server = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as {port: number}).port
    try {
      const started = Date.now()
      const error = await connect(target(port, [clientKey.file]), {connectTimeoutMs: 400}).catch((caught: unknown) => caught)
      expect(Date.now() - started).toBeLessThan(2_000)
      expect(error).toMatchObject({code: 'SSH_TIMEOUT', host: `root@127.0.0.1:${port}`, message: expect.stringContaining('connect phase')})
      expect((error as Error).message).toContain('accepted the TCP connection')
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe('ProxyJump', () => {
  function acceptedLogins(sshd: RunningSshd): number {
    return (sshd.log().match(/Accepted publickey for root/g) ?? []).length
  }
  function disconnects(sshd: RunningSshd): number {
    return (sshd.log().match(/Disconnected from user root 127\.0\.0\.1/g) ?? []).length
  }

  it('reaches a host through a jump host and closes every hop', async () => {
    const before = acceptedLogins(sshdA)
    const hop = target(sshdA.port, [clientKey.file])
    const ssh = await connect(target(sshdB.port, [clientKey.file], [hop]))
    expect(ssh.hostKey.fingerprint).toBe(hostFingerprint(sshdB))
    expect(acceptedLogins(sshdA)).toBe(before + 1)
    const result = await ssh.exec('echo through-the-bastion', {timeoutMs: 5_000, maxBytes: 100})
    expect(result.stdout.toString()).toBe('through-the-bastion\n')
    const [beforeA, beforeB] = [disconnects(sshdA), disconnects(sshdB)]
    await ssh.close()
    const closedBy = Date.now() + 5_000
    while ((disconnects(sshdA) === beforeA || disconnects(sshdB) === beforeB) && Date.now() < closedBy) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(disconnects(sshdA)).toBe(beforeA + 1)
    expect(disconnects(sshdB)).toBe(beforeB + 1)
  })

  it('shares one jump-host connection between the targets behind it, and closes it with the last', async () => {
    const before = acceptedLogins(sshdA)
    const hop = target(sshdA.port, [clientKey.file])
    const [one, two] = await Promise.all([connect(target(sshdB.port, [clientKey.file], [hop])), connect(target(sshdB.port, [clientKey.file], [hop]))])
    expect(acceptedLogins(sshdA)).toBe(before + 1)
    expect(openJumpChains()).toBe(1)
    for (const ssh of [one!, two!]) expect((await ssh.exec('echo shared', {timeoutMs: 5_000, maxBytes: 100})).stdout.toString()).toBe('shared\n')
    await one!.close()
    expect(openJumpChains()).toBe(1)
    expect((await two!.exec('echo still', {timeoutMs: 5_000, maxBytes: 100})).stdout.toString()).toBe('still\n')
    await two!.close()
    expect(openJumpChains()).toBe(0)
    // The next target opens a fresh chain.
    const three = await connect(target(sshdB.port, [clientKey.file], [hop]))
    expect(acceptedLogins(sshdA)).toBe(before + 2)
    await three.close()
  })

  it('follows a chain of two hops (A, then B, then A again)', async () => {
    const ssh = await connect(target(sshdA.port, [clientKey.file], [target(sshdA.port, [clientKey.file]), target(sshdB.port, [clientKey.file])]))
    expect((await ssh.exec('echo chained', {timeoutMs: 5_000, maxBytes: 100})).stdout.toString()).toBe('chained\n')
  })

  it('checks the jump host key under its own name', async () => {
    const file = join(dir, 'only_b_known')
    await writeFile(file, `${hostLine(sshdB)}\n`)
    const error = await connect(target(sshdB.port, [clientKey.file], [target(sshdA.port, [clientKey.file])]), {knownHostsPath: file}).catch((caught: unknown) => caught)
    expect(error).toMatchObject({code: 'SSH_HOSTKEY_UNKNOWN', host: `root@127.0.0.1:${sshdB.port}`})
    expect((error as Error).message).toContain(`jump host root@127.0.0.1:${sshdA.port}`)
    expect((error as Error).message).toContain(hostFingerprint(sshdA))
  })

  it('reports a refused onward connection as SSH_REFUSED', async () => {
    const port = await freePort()
    await expect(connect(target(port, [clientKey.file], [target(sshdA.port, [clientKey.file])]))).rejects.toMatchObject({code: 'SSH_REFUSED', host: `root@127.0.0.1:${port}`})
  })
})

import {execFile, spawn, type ChildProcess} from 'node:child_process'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import os from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

const run = promisify(execFile)

export interface SshdOptions {
  port?: number
  /** authorized_keys lines (public keys) accepted for every user. */
  authorizedKeys: string[]
  /** Host key types to generate; default ed25519 only. */
  hostKeyTypes?: Array<'ed25519' | 'ecdsa' | 'rsa'>
  /** Extra sshd_config lines; they win over the defaults here. */
  extraConfig?: string[]
}

export interface RunningSshd {
  port: number
  /** `type base64` of each host public key, in hostKeyTypes order. */
  hostKeyPubLines: string[]
  dir: string
  /** What sshd logged to stderr so far (LogLevel VERBOSE). */
  log(): string
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** A throwaway OpenSSH server on 127.0.0.1 with its own host keys; run as root (tests do). */
export async function startSshd(options: SshdOptions): Promise<RunningSshd> {
  const dir = await mkdtemp(join(os.tmpdir(), 'hoist-sshd-'))
  // sshd refuses to start without its privilege separation directory.
  await mkdir('/run/sshd', {recursive: true, mode: 0o755})
  const types = options.hostKeyTypes ?? ['ed25519']
  const hostKeyPubLines: string[] = []
  for (const type of types) {
    const file = join(dir, `ssh_host_${type}_key`)
    await run('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file])
    const [keyType, blob] = (await readFile(`${file}.pub`, 'utf8')).trim().split(/\s+/)
    hostKeyPubLines.push(`${keyType} ${blob}`)
  }
  const authorizedKeys = join(dir, 'authorized_keys')
  await writeFile(authorizedKeys, options.authorizedKeys.map((line) => `${line.trim()}\n`).join(''), {mode: 0o600})
  const port = options.port ?? (await freePort())
  const config = join(dir, 'sshd_config')
  await writeFile(
    config,
    [
      // sshd keeps the first value it reads, so the caller's lines come first and override the defaults.
      ...(options.extraConfig ?? []),
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      ...types.map((type) => `HostKey ${join(dir, `ssh_host_${type}_key`)}`),
      `AuthorizedKeysFile ${authorizedKeys}`,
      'PidFile none',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'AllowTcpForwarding yes',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  )
  // sshd needs the config path absolute: a relative one ends in "Connection reset by peer".
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], {stdio: ['ignore', 'ignore', 'pipe']})
  let log = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start within 10 s:\n${log}`)), 10_000)
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      if (/Server listening on/.test(log)) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`sshd exited with ${code}:\n${log}`))
    })
  })
  return {port, hostKeyPubLines, dir, log: () => log, stop: () => stopSshd(child, dir)}
}

async function stopSshd(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  await rm(dir, {recursive: true, force: true})
}

/** A fresh ed25519 key pair: returns the private key path and the public line. */
export async function makeKey(dir: string, name: string, passphrase = ''): Promise<{file: string; publicLine: string}> {
  const file = join(dir, name)
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', file])
  return {file, publicLine: (await readFile(`${file}.pub`, 'utf8')).trim()}
}

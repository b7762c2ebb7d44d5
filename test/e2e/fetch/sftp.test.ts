import {randomBytes} from 'node:crypto'
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createConnection, createServer, type Server, type Socket} from 'node:net'
import os from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {dirSource} from '../../../src/collect/fetch/dir-source.js'
import {fetchPaths} from '../../../src/collect/fetch/fetch.js'
import type {FetchRequest} from '../../../src/collect/fetch/report.js'
import {connectSsh, type SshTransport} from '../../../src/collect/transport/ssh.js'
import type {SshTarget} from '../../../src/collect/transport/target.js'
import {allContent, hostTree, listTree, newSink} from '../../unit/collect/fetch/trees.js'
import {makeKey, startSshd, type RunningSshd} from '../transport/sshd.js'

// A real OpenSSH serving SFTP read-only (internal-sftp -R) and chrooted to a host tree, so the same
// tree read over SFTP and with dirSource must give the same report and the same build context:
// and fetch never needs to write to the host.
const PLANTED = 's3cr3t-Planted-7f2c9a'
let dir: string
let host: string
let sshd: RunningSshd
let key: {file: string; publicLine: string}
let knownHosts: string
const open: SshTransport[] = []

function target(port: number): SshTarget {
  return {label: `root@127.0.0.1:${port}`, host: '127.0.0.1', port, user: 'root', identityFiles: [key.file], proxyJump: [], configHints: {}}
}

async function connect(port: number): Promise<SshTransport> {
  const transport = await connectSsh(target(port), {knownHostsPath: knownHosts, globalKnownHostsPaths: [], agentSocket: false, connectTimeoutMs: 5_000})
  open.push(transport)
  return transport
}

beforeAll(async () => {
  dir = mkdtempSync(join(os.tmpdir(), 'hoist-sftp-e2e-'))
  key = await makeKey(dir, 'id_client')
  // sshd refuses a chroot below a folder others may write to (/tmp): /run is root's alone.
  host = hostTree(
    {
      'opt/billing/app.py': 'CONF = "/etc/billing/app.conf"\nSHADOW = "/etc/shadow"\n',
      'opt/billing/bin/run': {data: `#!/bin/sh\nexec billing --password ${PLANTED}\n`, mode: 0o4755},
      'opt/billing/shared': {dir: 0o2775},
      'opt/billing/big.bin': randomBytes(1024 * 1024 + 7),
      'opt/billing/too-big.bin': randomBytes(3 * 1024 * 1024),
      'opt/billing/with space\nand newline.txt': 'odd\n',
      'opt/billing/current': {link: 'bin'},
      'opt/billing/shadow': {link: '/etc/shadow'},
      'opt/billing/climb': {link: '../../..'},
      'opt/billing/queue': 'fifo',
      'opt/billing/tls/server.key': 'key material\n',
      'opt/billing/tls/bundle.pem': `-----BEGIN PRIVATE KEY-----\nMII${PLANTED}\n-----END PRIVATE KEY-----\n`,
      'etc/billing/app.conf': {data: `db_password = ${PLANTED}\nport = 8080\n`, mode: 0o640},
      'etc/shadow': 'root:$6$hash:19000::::::\n',
    },
    '/run',
  )
  chmodSync(host, 0o755)
  sshd = await startSshd({authorizedKeys: [key.publicLine], extraConfig: ['Subsystem sftp internal-sftp -R', `ChrootDirectory ${host}`, 'ForceCommand internal-sftp -R']})
  knownHosts = join(dir, 'known_hosts')
  writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyPubLines[0]}\n`)
})

afterAll(async () => {
  await Promise.all(open.map((transport) => transport.close()))
  await sshd?.stop()
  rmSync(dir, {recursive: true, force: true})
  rmSync(host, {recursive: true, force: true})
})

const requests: FetchRequest[] = [{path: '/opt/billing', role: 'app'}]
const caps = {maxFileBytes: 2 * 1024 * 1024}

describe('fetch over SFTP', () => {
  it('gives the same report and build context as dirSource over the same tree, with a read-only server', async () => {
    const ssh = await connect(sshd.port)
    const source = await ssh.openFiles()
    const overSftp = newSink()
    const sftpReport = await fetchPaths(source, requests, overSftp.sink, caps)
    await source.close()
    const local = newSink()
    const localReport = await fetchPaths(dirSource(host), requests, local.sink, caps)

    expect(sftpReport).toEqual(localReport)
    expect(listTree(overSftp.rootfs)).toEqual(listTree(local.rootfs))
    expect(sftpReport.errors).toEqual([])
    expect(sftpReport.files.map((f) => f.path)).toEqual(['/opt/billing/app.py', '/opt/billing/big.bin', '/opt/billing/bin/run', '/opt/billing/with space\nand newline.txt', '/etc/billing/app.conf'])
    expect(sftpReport.files.find((f) => f.path === '/opt/billing/bin/run')?.mode).toBe(0o755)
    expect(sftpReport.symlinks).toEqual([{path: '/opt/billing/current', target: 'bin'}])
    expect(sftpReport.skipped).toEqual([
      {path: '/opt/billing/queue', reason: 'a socket, fifo or device: not copied'},
      {path: '/opt/billing/too-big.bin', reason: 'larger than maxFileBytes (2097152 bytes)'},
      {path: '/opt/billing/climb', reason: 'points outside the named paths'},
      {path: '/opt/billing/shadow', reason: 'points outside the named paths'},
    ])
    expect(sftpReport.secretFiles.map((s) => s.name)).toEqual(['TLS_BUNDLE_PEM', 'TLS_SERVER_KEY'])
    expect(sftpReport.discovered).toEqual([{path: '/etc/billing/app.conf', type: 'file', namedIn: {file: '/opt/billing/app.py', line: 1}, copied: true}])
    expect(sftpReport.secrets.map((s) => s.name)).toEqual(['PASSWORD', 'DB_PASSWORD'])
    expect(allContent(overSftp.rootfs)).not.toContain(PLANTED)
    expect(allContent(overSftp.rootfs)).not.toContain('$6$hash')
    expect(JSON.stringify(sftpReport)).not.toContain(PLANTED)
  })

  it('fails with FETCH_FAILED naming the host when the connection is lost', async () => {
    const proxy = await cuttableProxy(sshd.port)
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKeyPubLines[0]}\n[127.0.0.1]:${proxy.port} ${sshd.hostKeyPubLines[0]}\n`)
    try {
      const ssh = await connect(proxy.port)
      const source = await ssh.openFiles()
      expect(await source.lstat('/opt/billing/app.py')).toMatchObject({type: 'file'})
      proxy.cut()
      await expect(source.read('/opt/billing/big.bin', 1 << 30)).rejects.toMatchObject({code: 'FETCH_FAILED', host: ssh.label})
      await expect(ssh.openFiles()).rejects.toMatchObject({code: 'FETCH_FAILED'})
    } finally {
      proxy.server.close()
    }
  })
})

/** A TCP relay to sshd whose connections the test can drop, as a network failure would. */
async function cuttableProxy(port: number): Promise<{port: number; server: Server; cut(): void}> {
  const sockets: Socket[] = []
  const server = createServer((inbound) => {
    const outbound = createConnection(port, '127.0.0.1')
    sockets.push(inbound, outbound)
    inbound.pipe(outbound).pipe(inbound)
    inbound.on('error', () => {})
    outbound.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {port: typeof address === 'object' && address ? address.port : 0, server, cut: () => sockets.forEach((socket) => socket.destroy())}
}

import {readFile, stat} from 'node:fs/promises'
import {hostname, userInfo} from 'node:os'
import {HoistError} from '../errors.js'
import type {HostFacts} from '../types/facts.js'
import type {CollectOptions} from './options.js'
import {dial} from './transport/dial.js'
import {localTransport} from './transport/local.js'
import type {SshConnectOptions} from './transport/ssh.js'

export interface ScanResult {
  facts: HostFacts
  command: string
  scriptSha256?: string
  notes: string[]
}

export interface SshScanOptions extends CollectOptions {
  ssh: SshConnectOptions
  sshConfigPath?: string | null
  name?: string
  /** Ask for passwords and passphrases on this terminal when keys and agent do not get in. */
  interactive: boolean
}

/** One target over SSH: resolve (ssh_config), connect (strict host keys), probe, close. */
export async function scanSsh(spec: string, options: SshScanOptions): Promise<ScanResult> {
  const {resolveTarget} = await import('./transport/target.js')
  const target = await resolveTarget(spec, {configPath: options.sshConfigPath})
  // The host is dialled first, then ssh2 is loaded (only for SSH scans: --local, --from and --help
  // start faster without it) while the connection is made and sshd sends its greeting.
  const socket = target.proxyJump.length === 0 ? dial(target.host, target.port) : undefined
  const {connectSsh, sshPrompterFromTty} = await import('./transport/ssh.js')
  const connecting = connectSsh(target, {...options.ssh, socket, prompt: options.interactive ? sshPrompterFromTty() : undefined})
  // The probe's parsers load while the host answers the handshake, not before it.
  const collecting = import('./collect.js')
  const transport = await connecting
  try {
    const {collect} = await collecting
    const collected = await collect(
      transport,
      {name: options.name ?? defaultName(spec), transport: 'ssh', target: spec, address: target.host, port: target.port, user: target.user, sudo: options.sudo},
      options,
    )
    return {facts: collected.facts, command: collected.command, scriptSha256: collected.probe.sha256, notes: [...transport.notes]}
  } finally {
    await transport.close()
  }
}

/** The workspace name of a target: the host as the user wrote it, without the login user. */
export function defaultName(spec: string): string {
  return spec.replace(/^[^@]*@/, '').replace(/^\[([^\]]+)\](?::22)?$/, '$1').replace(/:22$/, '')
}

/** This machine, with the same probe. */
export async function scanLocal(options: CollectOptions & {name?: string}): Promise<ScanResult> {
  const {collect} = await import('./collect.js')
  const transport = localTransport(hostname())
  const collected = await collect(transport, {name: options.name ?? hostname(), transport: 'local', user: userInfo().username, sudo: options.sudo}, options)
  return {facts: collected.facts, command: collected.command, scriptSha256: collected.probe.sha256, notes: []}
}

const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024

/** The saved output of `hoist probe-script`, run by hand on a host Hoist cannot reach. */
export async function scanSnapshot(file: string, name?: string): Promise<ScanResult> {
  let size: number
  try {
    size = (await stat(file)).size
  } catch {
    throw new HoistError('INPUT_MISSING', `cannot read ${file}`, 'Pass the file that `sh hoist-probe.sh > FILE` wrote on the host.')
  }
  if (size > MAX_SNAPSHOT_BYTES) {
    throw new HoistError('SNAPSHOT_INVALID', `${file} is ${size} bytes, more than a probe ever prints`, 'Check that this is the probe output and not another file.')
  }
  const output = await readFile(file, 'utf8')
  const {ingestSnapshot} = await import('./collect.js')
  const facts = ingestSnapshot(output, {name: name ?? 'snapshot', transport: 'snapshot', target: file, sudo: false}, file)
  // Without --name the host is named by the hostname it reported (made safe by the workspace).
  if (!name) facts.host.name = facts.host.hostname || 'snapshot'
  return {facts, command: `sh (run by hand; output read from ${file})`, notes: []}
}

import type {HostFacts} from '../../types/facts.js'
import type {SshConnectOptions} from '../transport/ssh.js'
import {userInfo} from 'node:os'
import {localTransport} from '../transport/local.js'
import {dirSource} from './dir-source.js'
import type {FileSource} from './source.js'

export interface OpenOptions {
  /** A folder holding a copy of the host's files (an air-gapped host's, or a bundled example). */
  filesDir?: string
  ssh: SshConnectOptions
  sshConfigPath?: string
  interactive: boolean
}

/** Runs one read-only command on the host (to record how a service answers there). */
export type HostExec = (command: string) => Promise<{code: number | null; stdout: Buffer}>

export type Opened = {source: FileSource; how: string; exec?: HostExec; user?: string} | {source: undefined; why: string}

const ASK = {timeoutMs: 15_000, maxBytes: 1024 * 1024}

/**
 * Where a host's files are read from: the folder given, this machine for a --local scan, or the
 * host itself over SFTP (strict host keys again, read-only). A snapshot has no way back to its
 * host: then only a folder of its files will do.
 */
export async function openHostFiles(facts: HostFacts, options: OpenOptions): Promise<Opened> {
  if (options.filesDir) return {source: dirSource(options.filesDir), how: `the folder ${options.filesDir}`}
  const {host} = facts
  if (host.transport === 'local') {
    const local = localTransport(host.hostname)
    const exec: HostExec = async (command) => {
      const r = await local.exec(command, ASK)
      return {code: r.exitCode, stdout: r.stdout}
    }
    return {source: dirSource('/', host.hostname), how: 'this machine', exec, user: userInfo().username}
  }
  if (host.transport !== 'ssh' || !host.target) {
    return {source: undefined, why: `${host.name} was scanned from a saved probe output: copy its files to a folder (tar of the paths plan.yaml names) and pass --files DIR`}
  }
  const {resolveTarget} = await import('../transport/target.js')
  const {connectSsh, sshPrompterFromTty} = await import('../transport/ssh.js')
  const target = await resolveTarget(host.target, {configPath: options.sshConfigPath})
  const transport = await connectSsh(target, {...options.ssh, prompt: options.interactive ? sshPrompterFromTty() : undefined})
  try {
    const files = await transport.openFiles()
    return {
      source: {
        label: host.name,
        lstat: (path) => files.lstat(path),
        readdir: (path) => files.readdir(path),
        readlink: (path) => files.readlink(path),
        read: (path, maxBytes) => files.read(path, maxBytes),
        close: async () => {
          await files.close()
          await transport.close()
        },
      },
      how: `${host.target} over SFTP (read-only)`,
      exec: async (command) => {
        const r = await transport.exec(command, ASK)
        return {code: r.exitCode, stdout: r.stdout}
      },
      user: target.user,
    }
  } catch (error) {
    await transport.close()
    throw error
  }
}

import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {FixtureHost, FixtureHostOptions} from './hosts/host.js'

export interface Session {
  host: FixtureHost
  /** A temporary folder for this test file: keys, known_hosts, output folders. */
  dir: string
  /** A fresh ed25519 key the host authorises for root and hoist. */
  key: string
  /** A known_hosts file holding the host's real key. */
  knownHosts: string
}

/** Starts a fixture host with a new client key and a known_hosts file that trusts it. */
export async function startSession(
  start: (options: FixtureHostOptions) => Promise<FixtureHost>,
  options: Omit<FixtureHostOptions, 'authorizedKeys'>,
): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), `hoist-${options.name}-`))
  const key = join(dir, 'id_ed25519')
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])
  const host = await start({...options, authorizedKeys: [readFileSync(`${key}.pub`, 'utf8').trim()]})
  const knownHosts = join(dir, 'known_hosts')
  writeFileSync(knownHosts, `${host.knownHostsLine()}\n`)
  return {host, dir, key, knownHosts}
}

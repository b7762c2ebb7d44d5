import {HoistError} from '../../errors.js'
import {appendKnownHostLine, checkHostKey, fingerprintSha256, hostMatches, keyTypeFromBlob, knownHostName, readKnownHosts, type KnownHostEntry} from './known-hosts.js'
import type {SshTarget} from './target.js'

export interface HostKeyPolicy {
  /** Read and, with acceptNew, written. */
  knownHostsPath: string
  /** Read only, like OpenSSH's GlobalKnownHostsFile. */
  globalKnownHostsPaths: string[]
  acceptNew: boolean
}

export interface HostKeyOutcome {
  lookupName: string
  keyType: string
  fingerprint: string
  /** True when this connection wrote the key to known_hosts (accept-new). */
  recorded: boolean
}

/** Host-key algorithms in ssh2's default order; DSA is left out as OpenSSH 9 leaves it out. */
const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']

/** Which connection of a chain a message is about: `who` names the hop, `host` the target the user asked for. */
export interface HopScope {
  host: string
  who: string
}

/** HostKeyAlias replaces the name outright; otherwise `host` on port 22, `[host]:port` elsewhere. */
export function hostKeyLookupName(target: SshTarget): string {
  return target.hostKeyAlias ?? knownHostName(target.host, target.port)
}

async function loadEntries(policy: HostKeyPolicy): Promise<KnownHostEntry[]> {
  const files = [policy.knownHostsPath, ...policy.globalKnownHostsPaths]
  const parsed = await Promise.all(files.map((file) => readKnownHosts(file)))
  return parsed.flatMap((result) => result.entries)
}

/**
 * Like OpenSSH, ask first for the key types known_hosts already holds for this host, so a host known
 * by its RSA key is not refused just because the library would rather negotiate ed25519.
 */
export async function preferredHostKeyAlgorithms(target: SshTarget, policy: HostKeyPolicy): Promise<string[]> {
  const name = hostKeyLookupName(target)
  const entries = await loadEntries(policy).catch(() => [] as KnownHostEntry[])
  const known = new Set(entries.filter((entry) => entry.marker === undefined && hostMatches(entry, name)).map((entry) => entry.keyType))
  const wanted = (algorithm: string): boolean => known.has(algorithm.startsWith('rsa-sha2-') ? 'ssh-rsa' : algorithm)
  return [...HOST_KEY_ALGORITHMS.filter(wanted), ...HOST_KEY_ALGORITHMS.filter((algorithm) => !wanted(algorithm))]
}

function where(entry: KnownHostEntry): string {
  return `${entry.file}:${entry.line}`
}

function keyscanCommand(target: SshTarget, file: string): string {
  return `ssh-keyscan ${target.port === 22 ? '' : `-p ${target.port} `}${target.host} >> ${file}`
}

/**
 * Decide on the key a host presented, like OpenSSH with StrictHostKeyChecking=yes (or accept-new).
 * Resolves to the outcome, or rejects with the error to report; the caller refuses the handshake then.
 */
export async function verifyHostKey(target: SshTarget, scope: HopScope, keyBlob: Buffer, policy: HostKeyPolicy, notes: string[]): Promise<HostKeyOutcome> {
  const lookupName = hostKeyLookupName(target)
  const fingerprint = fingerprintSha256(keyBlob)
  const keyType = keyTypeFromBlob(keyBlob)
  const {host, who} = scope
  if (keyType === undefined) {
    throw new HoistError('SSH_FAILED', `${who} sent a host key Hoist cannot read (${fingerprint}).`, 'Report this with the output of `ssh -v` to the same host.', {host})
  }
  let entries: KnownHostEntry[]
  try {
    entries = await loadEntries(policy)
  } catch (error) {
    throw new HoistError('SSH_HOSTKEY_UNKNOWN', `Cannot check the host key of ${target.label}: reading ${policy.knownHostsPath} failed (${(error as Error).message}).`, `Make ${policy.knownHostsPath} readable by this user, or point --known-hosts at another file.`, {host, cause: error})
  }
  const check = checkHostKey(entries, lookupName, keyType, keyBlob)
  const outcome: HostKeyOutcome = {lookupName, keyType, fingerprint, recorded: false}
  switch (check.status) {
    case 'known':
      return outcome
    case 'revoked':
      throw new HoistError('SSH_HOSTKEY_REVOKED', `The ${keyType} host key ${fingerprint} presented by ${who} is marked @revoked in ${where(check.matchedLine as KnownHostEntry)}.`, 'Do not connect: that key was revoked on purpose. Ask the host\'s administrator which key the host should present now.', {host})
    case 'changed': {
      const old = check.matchedLine as KnownHostEntry
      throw new HoistError(
        'SSH_HOSTKEY_CHANGED',
        [
          `WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED for ${who}!`,
          'Someone could be eavesdropping on you right now (man-in-the-middle attack), or the host key has just been changed.',
          `The ${keyType} key sent by ${lookupName} has fingerprint ${fingerprint}; ${where(old)} holds a different ${keyType} key (${fingerprintSha256(old.keyBlob)}).`,
        ].join('\n'),
        `Confirm the new fingerprint with the host's administrator. If the change is expected, remove the old key with \`ssh-keygen -R '${lookupName}' -f ${old.file}\` (line ${old.line}), then connect again with --accept-new. Hoist has no option to bypass this check.`,
        {host},
      )
    }
    case 'unknown':
      break
  }
  const others = check.knownTypes.length > 0 ? ` known_hosts holds only ${check.knownTypes.join(', ')} keys for ${lookupName}.` : ''
  const ca = check.certAuthorities.length > 0 ? ` A @cert-authority line covers this host (${check.certAuthorities.map(where).join(', ')}), but Hoist does not use host certificates, so that does not make this key known.` : ''
  if (!policy.acceptNew) {
    throw new HoistError(
      'SSH_HOSTKEY_UNKNOWN',
      `The host key of ${who} is not known: ${keyType} ${fingerprint} (looked up as ${lookupName} in ${policy.knownHostsPath}).${others}${ca}`,
      `Verify the fingerprint out of band (on the host: \`ssh-keygen -lf /etc/ssh/ssh_host_${keyType.replace(/^ssh-|-sha2-.*$/g, '')}_key.pub\`), then rerun with --accept-new, or add it yourself with \`${keyscanCommand(target, policy.knownHostsPath)}\`.`,
      {host, hostKey: {who, keyType, fingerprint}},
    )
  }
  try {
    await appendKnownHostLine(policy.knownHostsPath, lookupName, keyType, keyBlob)
    outcome.recorded = true
    notes.push(`Recorded the ${keyType} host key ${fingerprint} of ${who} in ${policy.knownHostsPath} as ${lookupName}.${others}`)
  } catch (error) {
    // OpenSSH carries on when it cannot write known_hosts under accept-new; so do we, and say so.
    notes.push(`Accepted the ${keyType} host key ${fingerprint} of ${who} but could not record it in ${policy.knownHostsPath}: ${(error as Error).message}`)
  }
  return outcome
}

import {HoistError} from '../../errors.js'
import type {AuthRecord} from './ssh-auth.js'
import type {HopScope} from './ssh-hostkey.js'
import type {SshTarget} from './target.js'

export interface ConnectContext {
  hop: SshTarget
  scope: HopScope
  phase: 'connect' | 'auth'
  tcpConnected: boolean
  record: AuthRecord
  timeoutMs: number
}

/** ssh2's error, or our own 'hoist-timeout' / 'closed' pseudo-levels. */
export interface ConnectFailure {
  level?: string
  code?: string | number
  message?: string
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME'])

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`
}

function unique(items: string[]): string[] {
  return [...new Set(items)]
}

export function authFailure(context: ConnectContext, serverSaid?: string): HoistError {
  const {hop, scope, record} = context
  const tried = unique(record.tried)
  const methods = record.serverMethods ? ` The server accepts: ${record.serverMethods.join(', ')}.` : ''
  return new HoistError(
    'SSH_AUTH_FAILED',
    `Could not log in to ${scope.who} as ${hop.user}${serverSaid ? ` (${serverSaid})` : ''}. Tried: ${tried.length > 0 ? tried.join('; ') : 'nothing (no agent, no key file, no terminal to ask a password)'}.${methods}`,
    'Check the user name, then give a key the server accepts with --identity KEY, load one into ssh-agent, or run Hoist in a terminal so it can ask for a password or passphrase.',
    {host: scope.host},
  )
}

export function connectError(error: ConnectFailure, context: ConnectContext): HoistError {
  const {hop, scope, phase, tcpConnected, timeoutMs} = context
  const where = `${hop.host}:${hop.port}`
  const host = scope.host
  const code = typeof error.code === 'string' ? error.code : undefined
  if (error.level === 'hoist-timeout') {
    if (phase === 'auth') {
      return new HoistError('SSH_TIMEOUT', `Authentication to ${scope.who} did not finish within ${seconds(timeoutMs)} (timed out in the auth phase).`, 'The host may be slow to log in (DNS lookups by sshd, PAM); raise the auth timeout or check sshd on the host.', {host})
    }
    const what = tcpConnected ? `accepted the TCP connection on ${where} but did not complete the SSH handshake` : `did not accept a TCP connection on ${where}`
    return new HoistError('SSH_TIMEOUT', `${scope.who} ${what} within ${seconds(timeoutMs)} (timed out in the connect phase).`, tcpConnected ? 'Check that the port belongs to an SSH server and that sshd is not overloaded (MaxStartups); raise the connect timeout if the link is slow.' : 'Check that the host is up and that no firewall drops traffic to that port; raise the connect timeout if the link is slow.', {host})
  }
  if (error.level === 'client-authentication') return authFailure(context)
  if (code === 'ECONNREFUSED') {
    return new HoistError('SSH_REFUSED', `${scope.who} refused the connection on ${where}.`, `Check that sshd runs on that host and listens on port ${hop.port} (set the port with host:port or Port in ssh_config).`, {host})
  }
  if (code !== undefined && UNREACHABLE.has(code)) {
    const why = code.startsWith('EAI') || code === 'ENOTFOUND' ? `the name ${hop.host} does not resolve (${code})` : `there is no route to ${where} (${code})`
    return new HoistError('SSH_UNREACHABLE', `Cannot reach ${scope.who}: ${why}.`, 'Check the host name (and HostName in ssh_config), DNS and the network path; use ProxyJump if the host is only reachable through a bastion.', {host})
  }
  if (code === 'ETIMEDOUT') {
    return new HoistError('SSH_TIMEOUT', `The TCP connection to ${scope.who} on ${where} timed out (connect phase).`, 'Check that the host is up and that no firewall drops traffic to that port.', {host})
  }
  // A server that hangs up during login (MaxAuthTries, "Too many authentication failures") is an auth failure.
  if (phase === 'auth' && (typeof error.code === 'number' || error.level === 'closed')) {
    return authFailure(context, error.message ? `the server said: ${error.message}` : 'the server closed the connection')
  }
  const message = error.message ?? 'the connection closed'
  if (error.level === 'handshake') {
    return new HoistError('SSH_FAILED', `The SSH key exchange with ${scope.who} failed: ${message}.`, 'The server may only offer algorithms Hoist\'s SSH library lacks (a very old sshd); compare with `ssh -v` to the same host.', {host})
  }
  return new HoistError('SSH_FAILED', `The SSH connection to ${scope.who} (${where}) failed during ${phase === 'connect' ? 'connect and handshake' : 'authentication'}: ${message}.`, 'Check that the port belongs to an SSH server (try `ssh -v` to it) and that the host accepts new connections (MaxStartups, TCP wrappers, fail2ban).', {host, cause: error})
}

/** The bastion could not open the onward connection: OpenSSH puts the reason in the failure description. */
export function forwardError(error: Error & {reason?: number}, hop: SshTarget, scope: HopScope): HoistError {
  const where = `${hop.host}:${hop.port}`
  const text = error.message
  if (error.reason === 1 || /prohibited/i.test(text)) {
    return new HoistError('SSH_FAILED', `The jump host refused to forward to ${where} for ${scope.who}: ${text}.`, 'The jump host must allow TCP forwarding for this user (AllowTcpForwarding, PermitOpen in its sshd_config).', {host: scope.host, cause: error})
  }
  if (/refused/i.test(text)) {
    return new HoistError('SSH_REFUSED', `${scope.who} refused the connection on ${where} (seen from the jump host): ${text}.`, `Check that sshd runs on that host and listens on port ${hop.port}.`, {host: scope.host, cause: error})
  }
  if (/timed out/i.test(text)) {
    return new HoistError('SSH_TIMEOUT', `The jump host timed out connecting to ${where} for ${scope.who}: ${text}.`, 'Check that the jump host can reach that address and port (firewall, routing).', {host: scope.host, cause: error})
  }
  return new HoistError('SSH_UNREACHABLE', `The jump host could not reach ${where} for ${scope.who}: ${text}.`, 'Check the host name and that the jump host can reach it (DNS and routing as seen from the jump host).', {host: scope.host, cause: error})
}

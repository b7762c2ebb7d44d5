import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {isIPv6} from 'node:net'
import os from 'node:os'
import {join} from 'node:path'
import {HoistError} from '../../errors.js'
import {flattenForQuery, loadSshConfig, type LoadedConfig} from './ssh-config-file.js'

/** What the user typed: `[user@]host[:port]`, `[user@][v6]:port`, a bare IPv6 address, or `ssh://…`. */
export interface TargetSpec {
  user?: string
  host: string
  port?: number
}

export interface SshTarget {
  /** The target as the user named it, for messages. */
  label: string
  host: string
  port: number
  user: string
  identityFiles: string[]
  /** Hops in connection order: the first is dialled directly, each later one through the one before. */
  proxyJump: SshTarget[]
  hostKeyAlias?: string
  connectTimeoutMs?: number
  /** Read from ssh_config for information only: Hoist's own flags decide host-key policy. */
  configHints: {strictHostKeyChecking?: string; userKnownHostsFiles?: string[]}
}

export interface ResolveOptions {
  /** ssh_config to read; default ~/.ssh/config (missing is fine); null reads none. An explicit path must exist. */
  configPath?: string | null
  homeDir?: string
  localUser?: string
}

const MAX_JUMP_DEPTH = 8
const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa']
const HOST_RE = /^[A-Za-z0-9_.~%-]+$/
const USER_RE = /^[^\s@:/\\]+$/

function invalid(spec: string, why: string): HoistError {
  return new HoistError('TARGET_INVALID', `Invalid target ${JSON.stringify(spec)}: ${why}`, 'Write the target as [user@]host[:port], [user@][ipv6]:port or an ssh_config Host alias.', {host: spec})
}

function parsePort(text: string, spec: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN
  if (!(port >= 1 && port <= 65535)) throw invalid(spec, `port ${JSON.stringify(text)} is not a number from 1 to 65535`)
  return port
}

export function parseTargetSpec(input: string): TargetSpec {
  const spec = input.trim()
  let rest = spec.replace(/^ssh:\/\//i, '').replace(/\/$/, '')
  if (rest === '') throw invalid(input, 'it is empty')
  // OpenSSH splits at the last @, so a user name may itself hold one.
  const at = rest.lastIndexOf('@')
  const user = at >= 0 ? rest.slice(0, at) : undefined
  rest = rest.slice(at + 1)
  if (user !== undefined && !USER_RE.test(user.replace(/@/g, ''))) throw invalid(input, `user ${JSON.stringify(user)} is not a valid user name`)
  let host: string
  let port: number | undefined
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']')
    if (close < 0) throw invalid(input, 'missing ] after the bracketed host')
    host = rest.slice(1, close)
    const after = rest.slice(close + 1)
    if (after !== '' && !after.startsWith(':')) throw invalid(input, `unexpected ${JSON.stringify(after)} after ]`)
    if (after !== '') port = parsePort(after.slice(1), input)
  } else if ((rest.match(/:/g) ?? []).length > 1) {
    host = rest
  } else {
    const colon = rest.indexOf(':')
    host = colon >= 0 ? rest.slice(0, colon) : rest
    if (colon >= 0) port = parsePort(rest.slice(colon + 1), input)
  }
  if (host === '') throw invalid(input, 'the host is empty')
  if (host.includes(':') ? !isIPv6(host.replace(/%.*$/, '')) : !HOST_RE.test(host) || host.startsWith('-')) {
    throw invalid(input, `${JSON.stringify(host)} is not a host name or IP address`)
  }
  return {...(user !== undefined ? {user} : {}), host, ...(port !== undefined ? {port} : {})}
}

interface Context {
  loaded?: LoadedConfig
  configFile?: string
  homeDir: string
  localUser: string
}

function defaultLocalUser(): string {
  try {
    return os.userInfo().username
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? 'root'
  }
}

export async function resolveTarget(input: string, options: ResolveOptions = {}): Promise<SshTarget> {
  const homeDir = options.homeDir ?? os.homedir()
  const context: Context = {homeDir, localUser: options.localUser ?? defaultLocalUser()}
  const configPath = options.configPath === undefined ? join(homeDir, '.ssh', 'config') : options.configPath
  if (configPath !== null && (options.configPath !== undefined || existsSync(configPath))) {
    context.configFile = configPath
    context.loaded = await loadSshConfig(configPath, homeDir).catch((error: unknown) => {
      // The loader does not know which target asked; every error names the host.
      if (!(error instanceof HoistError)) throw error
      throw new HoistError(error.code, `${error.message} (resolving ${input.trim()})`, error.suggestion, {host: input.trim(), cause: error.cause})
    })
  }
  const {target, jump} = resolveOne(input, context)
  target.proxyJump = resolveJumps(jump, context, 1, target.label)
  return target
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function configError(context: Context, message: string, suggestion: string, host: string): HoistError {
  return new HoistError('SSH_CONFIG_INVALID', `${message} (in ${context.configFile ?? 'ssh_config'})`, suggestion, {host})
}

/** One host through the config; its ProxyJump is returned raw for the caller to chain. */
function resolveOne(input: string, context: Context): {target: SshTarget; jump?: string} {
  const spec = parseTargetSpec(input)
  const alias = spec.host.toLowerCase()
  const computed = context.loaded
    ? flattenForQuery(context.loaded, {host: alias, user: spec.user}).compute({Host: alias, ...(spec.user ? {User: spec.user} : {})}, {ignoreCase: true, matchExec: false})
    : {}
  const label = input.trim()
  const expandHost = (text: string): string => text.replace(/%(.)/g, (token, key: string) => (key === 'h' ? alias : key === '%' ? '%' : token))
  const hostName = first(computed['hostname'])
  const host = hostName ? expandHost(hostName).toLowerCase() : alias
  const portText = first(computed['port'])
  const port = spec.port ?? (portText ? parsePortFromConfig(portText, context, label) : 22)
  const user = spec.user ?? first(computed['user']) ?? context.localUser
  const hostKeyAlias = first(computed['hostkeyalias'])
  const tokens = tokenValues(context, {host, alias, port, user, hostKeyAlias})
  const configured = ([] as string[]).concat(computed['identityfile'] ?? []).filter((file) => file.toLowerCase() !== 'none')
  const identityFiles = configured.length > 0
    ? configured.map((file) => expandPath(file, tokens, context, label))
    : DEFAULT_IDENTITIES.map((name) => join(context.homeDir, '.ssh', name)).filter((file) => existsSync(file))
  const timeoutText = first(computed['connecttimeout'])
  let connectTimeoutMs: number | undefined
  if (timeoutText !== undefined) {
    if (!/^\d+$/.test(timeoutText)) throw configError(context, `ConnectTimeout ${JSON.stringify(timeoutText)} for ${label} is not a number of seconds`, 'Set ConnectTimeout to a whole number of seconds.', label)
    connectTimeoutMs = Number(timeoutText) * 1000
  }
  const jump = first(computed['proxyjump'])
  const proxyCommand = first(computed['proxycommand'])
  if (jump === undefined && proxyCommand !== undefined && proxyCommand.toLowerCase() !== 'none') {
    throw configError(context, `${label} is reached through a ProxyCommand, which Hoist does not run`, 'Use ProxyJump for a bastion (Hoist supports jump chains), or scan from a machine that reaches the host directly.', label)
  }
  const strict = first(computed['stricthostkeychecking'])
  const knownHosts = computed['userknownhostsfile']
  const target: SshTarget = {
    label,
    host,
    port,
    user,
    identityFiles,
    proxyJump: [],
    ...(hostKeyAlias ? {hostKeyAlias} : {}),
    ...(connectTimeoutMs !== undefined ? {connectTimeoutMs} : {}),
    configHints: {
      ...(strict ? {strictHostKeyChecking: strict} : {}),
      ...(knownHosts ? {userKnownHostsFiles: ([] as string[]).concat(knownHosts)} : {}),
    },
  }
  return {target, ...(jump !== undefined ? {jump} : {})}
}

function parsePortFromConfig(text: string, context: Context, label: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : 0
  if (port < 1 || port > 65535) throw configError(context, `Port ${JSON.stringify(text)} for ${label} is not a port number`, 'Set Port to a number from 1 to 65535.', label)
  return port
}

/**
 * ssh -J a,b target dials a (with a's own config, ProxyJump included), then b through a: only the first
 * hop's own ProxyJump applies, later hops are reached through the chain as written.
 */
function resolveJumps(value: string | undefined, context: Context, depth: number, label: string): SshTarget[] {
  if (value === undefined || value.toLowerCase() === 'none') return []
  if (depth > MAX_JUMP_DEPTH) {
    throw configError(context, `ProxyJump for ${label} nests deeper than ${MAX_JUMP_DEPTH} hops`, 'Look for a ProxyJump loop: a jump host whose own ProxyJump leads back to it.', label)
  }
  const hops: SshTarget[] = []
  value.split(',').map((part) => part.trim()).forEach((hopSpec, index) => {
    const {target, jump} = resolveOne(hopSpec, context)
    if (index === 0) hops.push(...resolveJumps(jump, context, depth + 1, label))
    hops.push(target)
  })
  return hops
}

function tokenValues(context: Context, t: {host: string; alias: string; port: number; user: string; hostKeyAlias?: string}): Record<string, string> {
  const localHost = os.hostname()
  return {
    '%': '%',
    d: context.homeDir,
    u: context.localUser,
    h: t.host,
    n: t.alias,
    p: String(t.port),
    r: t.user,
    l: localHost,
    L: localHost.split('.')[0] ?? localHost,
    i: String(process.getuid?.() ?? ''),
    k: t.hostKeyAlias ?? t.host,
    C: createHash('sha1').update(`${localHost}${t.host}${t.port}${t.user}`).digest('hex'),
  }
}

function expandPath(file: string, tokens: Record<string, string>, context: Context, label: string): string {
  const tilde = file === '~' ? context.homeDir : file.startsWith('~/') ? join(context.homeDir, file.slice(2)) : file
  return tilde.replace(/%(.)?/g, (_match, key: string | undefined) => {
    const value = key === undefined ? undefined : tokens[key]
    if (value === undefined) throw configError(context, `IdentityFile ${JSON.stringify(file)} for ${label} uses an unknown %-token`, 'Use only %d %u %h %n %p %r %l %L %i %k %C or %% in IdentityFile.', label)
    return value
  })
}

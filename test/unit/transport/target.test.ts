import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseTargetSpec, resolveTarget, type ResolveOptions} from '../../../src/collect/transport/target.js'

describe('parseTargetSpec', () => {
  it.each([
    ['db1', {host: 'db1'}],
    ['root@db1', {user: 'root', host: 'db1'}],
    ['db1:2222', {host: 'db1', port: 2222}],
    ['ops@10.0.0.5:22', {user: 'ops', host: '10.0.0.5', port: 22}],
    ['[::1]:2222', {host: '::1', port: 2222}],
    ['root@[fe80::1%eth0]:22', {user: 'root', host: 'fe80::1%eth0'}],
    ['[2001:db8::7]', {host: '2001:db8::7'}],
    ['::1', {host: '::1'}],
    ['admin@2001:db8::7', {user: 'admin', host: '2001:db8::7'}],
    ['ssh://ops@web.example.com:2200', {user: 'ops', host: 'web.example.com', port: 2200}],
    ['jane@corp.example@bastion', {user: 'jane@corp.example', host: 'bastion'}],
    ['  spaced-host  ', {host: 'spaced-host'}],
  ])('parses %s', (spec, expected) => {
    const parsed = parseTargetSpec(spec)
    expect(parsed).toMatchObject(expected)
    if (!('port' in expected) && spec !== 'root@[fe80::1%eth0]:22') expect(parsed.port).toBeUndefined()
  })

  it('keeps the port of a bracketed IPv6 target', () => {
    expect(parseTargetSpec('root@[fe80::1%eth0]:22').port).toBe(22)
  })

  it.each(['', '   ', '@db1', 'db1:', 'db1:0', 'db1:65536', 'db1:ssh', '[::1', '[::1]x', 'bad host', '-oProxyCommand=sh', 'a b@host', 'gg::zz'])('rejects %j with TARGET_INVALID', (spec) => {
    expect(() => parseTargetSpec(spec)).toThrow(expect.objectContaining({code: 'TARGET_INVALID', host: spec, suggestion: expect.stringContaining('[user@]host[:port]')}))
  })
})

describe('resolveTarget through ssh_config', () => {
  let home: string
  let options: ResolveOptions
  let marker: string

  beforeAll(async () => {
    home = await mkdtemp(join(os.tmpdir(), 'hoist-target-'))
    marker = join(home, 'match-exec-ran')
    const ssh = join(home, '.ssh')
    await mkdir(join(ssh, 'conf.d'), {recursive: true})
    await mkdir(join(home, 'extra'), {recursive: true})
    await writeFile(
      join(ssh, 'config'),
      `# top of file
Include conf.d/*.conf

Host web1 web1-alias
  HostName 10.0.0.5
  User deploy
  Port 2200
  IdentityFile ~/.ssh/id_web
  IdentityFile %d/keys/%h-%r-%p-%n

Host *.prod !skip.prod
  HostName %h.example.com
  ProxyJump bastion

Host bastion
  HostName bastion.example.com
  User jump
  ProxyJump outer

Host outer
  HostName 203.0.113.9
  Port 2022

Host chain
  HostName 10.1.1.1
  ProxyJump hopa,root@hopb:2222

Host hopb
  HostName 10.9.9.9
  ProxyJump never-used

Host direct
  ProxyJump none

Host aliased
  HostKeyAlias my-alias

Host with-include
  Include ${join(home, 'extra', 'in-host.conf')}
  User after-include

Host other-block
  Include ${join(home, 'extra', 'other-host.conf')}

Host proxied
  ProxyCommand nc %h %p

Host badport
  Port 70000

Host loop1
  ProxyJump loop2
Host loop2
  ProxyJump loop1

Match exec "touch ${marker}"
  User from-match-exec

Host *
  User fallback
  ConnectTimeout 7
  StrictHostKeyChecking accept-new
  UserKnownHostsFile ~/.ssh/kh1 ~/.ssh/kh2
`,
    )
    await writeFile(join(ssh, 'conf.d', '10-db.conf'), 'Host db\n  HostName 10.2.0.1\n  User dba\n  Include ~/extra/nested.conf\n')
    await writeFile(join(ssh, 'conf.d', '20-ignored.txt'), 'Host db\n  HostName wrong\n')
    await writeFile(join(ssh, 'conf.d', '.hidden.conf'), 'Host db\n  HostName hidden\n')
    await writeFile(join(home, 'extra', 'nested.conf'), 'Port 2345\n')
    await writeFile(join(home, 'extra', 'in-host.conf'), 'HostName included.example.com\nHost never-matches\n  Port 1111\n')
    await writeFile(join(home, 'extra', 'other-host.conf'), 'Port 9999\n')
    options = {homeDir: home, localUser: 'alice'}
  })

  afterAll(async () => {
    await rm(home, {recursive: true, force: true})
  })

  it('applies HostName, User, Port and IdentityFile with ~ and % expansion', async () => {
    const target = await resolveTarget('web1', options)
    expect(target).toMatchObject({
      label: 'web1',
      host: '10.0.0.5',
      port: 2200,
      user: 'deploy',
      identityFiles: [join(home, '.ssh', 'id_web'), join(home, 'keys', '10.0.0.5-deploy-2200-web1')],
      proxyJump: [],
      connectTimeoutMs: 7000,
      configHints: {strictHostKeyChecking: 'accept-new', userKnownHostsFiles: ['~/.ssh/kh1', '~/.ssh/kh2']},
    })
  })

  it('lets an explicit user and port win over the config', async () => {
    const target = await resolveTarget('root@WEB1-alias:2201', options)
    expect(target).toMatchObject({label: 'root@WEB1-alias:2201', host: '10.0.0.5', user: 'root', port: 2201})
    expect(target.identityFiles).toContain(join(home, 'keys', '10.0.0.5-root-2201-web1-alias'))
  })

  it('follows Include with a relative glob, skipping dotfiles and non-matching names, and nested Includes', async () => {
    expect(await resolveTarget('db', options)).toMatchObject({host: '10.2.0.1', user: 'dba', port: 2345})
  })

  it('applies an Include inside a Host block only when the block matches', async () => {
    const inside = await resolveTarget('with-include', options)
    expect(inside).toMatchObject({host: 'included.example.com', user: 'after-include', port: 22})
    // The included file's own Host section stays conditional on its own pattern.
    expect(await resolveTarget('never-matches', options)).toMatchObject({port: 22})
    expect(await resolveTarget('other-block', options)).toMatchObject({port: 9999})
    expect(await resolveTarget('unrelated', options)).toMatchObject({host: 'unrelated', port: 22})
  })

  it('expands %h in HostName and honours wildcard and negated Host patterns', async () => {
    const target = await resolveTarget('app.prod', options)
    expect(target.host).toBe('app.prod.example.com')
    expect(target.proxyJump.map((hop) => `${hop.user}@${hop.host}:${hop.port}`)).toEqual(['fallback@203.0.113.9:2022', 'jump@bastion.example.com:22'])
    const skipped = await resolveTarget('skip.prod', options)
    expect(skipped).toMatchObject({host: 'skip.prod', proxyJump: []})
  })

  it('resolves a ProxyJump chain hop by hop; only the first hop keeps its own ProxyJump', async () => {
    const target = await resolveTarget('chain', options)
    expect(target.host).toBe('10.1.1.1')
    expect(target.proxyJump.map((hop) => [hop.label, hop.user, hop.host, hop.port])).toEqual([
      ['hopa', 'fallback', 'hopa', 22],
      ['root@hopb:2222', 'root', '10.9.9.9', 2222],
    ])
    expect(target.proxyJump.every((hop) => hop.proxyJump.length === 0)).toBe(true)
  })

  it('treats ProxyJump none as no jump, and reads HostKeyAlias', async () => {
    expect((await resolveTarget('direct', options)).proxyJump).toEqual([])
    expect((await resolveTarget('aliased', options)).hostKeyAlias).toBe('my-alias')
  })

  it('never runs a Match exec command', async () => {
    const target = await resolveTarget('anything', options)
    expect(target.user).toBe('fallback')
    expect(existsSync(marker)).toBe(false)
  })

  it('refuses ProxyCommand, bad ports and ProxyJump loops with SSH_CONFIG_INVALID naming the host', async () => {
    await expect(resolveTarget('proxied', options)).rejects.toMatchObject({code: 'SSH_CONFIG_INVALID', host: 'proxied', message: expect.stringContaining('ProxyCommand')})
    await expect(resolveTarget('badport', options)).rejects.toMatchObject({code: 'SSH_CONFIG_INVALID', host: 'badport'})
    await expect(resolveTarget('loop1', options)).rejects.toMatchObject({code: 'SSH_CONFIG_INVALID', host: 'loop1', suggestion: expect.stringContaining('loop')})
  })

  it('falls back to the local user and default key files without a config', async () => {
    await writeFile(join(home, '.ssh', 'id_ed25519'), 'not really a key')
    const target = await resolveTarget('plain-host', {...options, configPath: null})
    expect(target).toMatchObject({host: 'plain-host', port: 22, user: 'alice', identityFiles: [join(home, '.ssh', 'id_ed25519')], configHints: {}})
    const defaultUser = await resolveTarget('plain-host', {configPath: null, homeDir: home})
    expect(defaultUser.user).toBe(os.userInfo().username)
  })

  it('reads an explicit config path, and fails clearly when it is missing or broken', async () => {
    const file = join(home, 'alt-config')
    await writeFile(file, 'Host alt\n  HostName 192.0.2.1\n')
    expect(await resolveTarget('alt', {...options, configPath: file})).toMatchObject({host: '192.0.2.1', user: 'alice'})
    await expect(resolveTarget('alt', {...options, configPath: join(home, 'missing')})).rejects.toMatchObject({code: 'SSH_CONFIG_INVALID', host: 'alt'})
    const broken = join(home, 'broken-config')
    await writeFile(broken, 'Host x\n  IdentityFile "unterminated\n')
    await expect(resolveTarget('x', {...options, configPath: broken})).rejects.toMatchObject({code: 'SSH_CONFIG_INVALID', host: 'x', message: expect.stringContaining(broken)})
  })

  it('stops an Include loop', async () => {
    const file = join(home, 'self-include')
    await writeFile(file, `Include ${file}\n`)
    await expect(resolveTarget('x', {...options, configPath: file})).rejects.toMatchObject({code: 'SSH_CONFIG_INVALID', host: 'x', suggestion: expect.stringContaining('loop')})
  })
})

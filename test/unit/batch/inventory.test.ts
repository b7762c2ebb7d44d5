import {existsSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {detectFormat} from '../../../src/batch/inventory/detect.js'
import {loadInventory, type InventoryHost, type LoadInventoryOptions} from '../../../src/batch/inventory/load.js'

const FIXTURES = 'test/fixtures/inventories'
const HOME = '/home/consultant'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'hoist-inventory-'))
})
afterAll(async () => {
  await rm(dir, {recursive: true, force: true})
})

/** Writes an inventory to a temp file and loads it: errors name that file. */
async function load(name: string, text: string, options: LoadInventoryOptions = {}): Promise<InventoryHost[]> {
  const file = join(dir, name)
  await writeFile(file, text)
  return loadInventory(file, {homeDir: HOME, ...options})
}

function byName(hosts: InventoryHost[]): Map<string, InventoryHost> {
  return new Map(hosts.map((host) => [host.name, host]))
}

describe('Ansible INI inventory', () => {
  it('reads groups, children, vars, ranges, old variable names and ungrouped hosts', async () => {
    const hosts = await loadInventory(`${FIXTURES}/production.ini`, {homeDir: HOME})
    expect(hosts.map((host) => host.name)).toEqual([
      'bastion.example.com',
      'web01.example.com', 'web02.example.com', 'web03.example.com', 'web04.example.com',
      'app-a', 'app-b', 'app-c',
      'db-a.internal', 'db-b.internal', 'db-c.internal',
      'oldbox',
    ])
    const host = byName(hosts)
    expect(host.get('bastion.example.com')).toEqual({name: 'bastion.example.com', host: 'bastion.example.com', port: 2201, user: 'ops', groups: ['ungrouped'], source: `${FIXTURES}/production.ini:5`})
    // In web and legacy (same depth): web's vars win over legacy's by name order, as in Ansible.
    expect(host.get('web01.example.com')).toEqual({
      name: 'web01.example.com', host: 'web01.example.com', port: 22, user: 'www', identityFile: `${HOME}/.ssh/estate_ed25519`,
      groups: ['legacy', 'linux', 'prod', 'web'], source: `${FIXTURES}/production.ini:8`,
    })
    expect(host.get('web04.example.com')).toMatchObject({port: 2222, user: 'deploy', source: `${FIXTURES}/production.ini:9`})
    expect(host.get('app-b')).toMatchObject({host: '10.0.1.12', identityFile: `${HOME}/.ssh/app b.pem`, user: 'admin'})
    expect(host.get('app-c')).toMatchObject({host: '10.0.1.13', port: 2200, user: 'legacy'})
    // db's vars (deeper) beat linux's; the Python comment after 5522 is dropped.
    expect(host.get('db-b.internal')).toMatchObject({port: 5522, user: 'postgres', groups: ['db', 'linux', 'prod']})
    expect(host.get('oldbox')).toMatchObject({host: '192.168.7.20', port: 2022})
  })

  it('gives the same hosts from the YAML version of the same inventory', async () => {
    const fromIni = await loadInventory(`${FIXTURES}/production.ini`, {homeDir: HOME})
    const fromYaml = await loadInventory(`${FIXTURES}/production.yml`, {homeDir: HOME})
    const withoutSource = (hosts: InventoryHost[]) => hosts.map(({source: _source, ...rest}) => rest)
    expect(withoutSource(fromYaml)).toEqual(withoutSource(fromIni))
    expect(fromYaml[0]?.source).toBe(`${FIXTURES}/production.yml:4`)
  })

  it('merges a host named in several groups, keeping its first line as source', async () => {
    const hosts = await load('merge.ini', '[a]\nh1 ansible_user=first\n[b]\nh1 ansible_user=second ansible_port=2200\n')
    expect(hosts).toEqual([{name: 'h1', host: 'h1', port: 2200, user: 'second', groups: ['a', 'b'], source: `${dir}/merge.ini:2`}])
  })

  it('fills in {{ inventory_hostname }} and plain {{ var }} references, and names the line of a template it cannot evaluate', async () => {
    const text = '[web]\nweb1 ansible_host="{{ inventory_hostname }}.example.com"\nweb2 ansible_host="{{ addr }}" addr=10.0.0.9\nweb3 ansible_host="{{ lookup(\'env\', \'X\') }}"\n'
    const hosts = await load('templates.ini', text, {limit: ['!web3']})
    expect(hosts.map((host) => host.host)).toEqual(['web1.example.com', '10.0.0.9'])
    await expect(load('templates.ini', text)).rejects.toMatchObject({code: 'INVENTORY_INVALID', message: expect.stringMatching(/templates\.ini:4: .*web3.*Jinja/)})
  })

  it.each([
    ['[web:kids]\nweb1\n', /:1: section \[web:kids\] has an unknown type/],
    ['[web]\nweb1 ansible_user\n', /:2: expected key=value after the host/],
    ['[web]\nweb1 ansible_user="deploy\n', /:2: cannot split host line .*No closing quotation/],
    ['[prod:children]\nweb\n', /:2: \[prod:children\] names group web, which is never declared/],
    ['[db:vars]\nansible_user=pg\n', /:1: \[db:vars\] names group db, which is never declared/],
    ['[a:children]\nb\n[b:children]\na\n', /:4: adding group a as a child of b makes a loop/],
    ['[web]\nweb[01:3]\n', /:2: host range .*same number of digits/],
    ['[web]\nweb1:\n', /:2: host pattern "web1:" ends in ':'/],
    ['[web]\nweb1 ansible_port=ssh\n', /:2: ansible_port "ssh" of host web1 is not a port number/],
    ['[web]\nweb1 ansible_host=deploy@10.0.0.5\n', /:2: ansible_host "deploy@10.0.0.5" of host web1 is not a host name/],
    ['[web ]\n', /:1: invalid section header/],
  ])('rejects %j naming the line', async (text, message) => {
    await expect(load('bad.ini', text)).rejects.toMatchObject({code: 'INVENTORY_INVALID', message: expect.stringMatching(message), suggestion: expect.any(String)})
  })
})

describe('Ansible YAML inventory', () => {
  it('accepts anchors, merge keys, a group defined twice, the one-host string form and !unsafe', async () => {
    const host = byName(await loadInventory(`${FIXTURES}/quirks.yml`, {homeDir: HOME}))
    expect(host.get('w1')).toMatchObject({host: 'w1', user: 'webadmin', groups: ['db', 'staging', 'web']})
    expect(host.get('d1')).toMatchObject({host: '10.9.0.3', port: 2201, user: 'root', groups: ['db']})
    expect(host.get('y')).toEqual({name: 'y', host: 'y', groups: ['db'], source: `${FIXTURES}/quirks.yml:20`})
    expect(host.get('lonely')).toMatchObject({user: 'lone{{ly}}', port: 2022, groups: ['ungrouped']})
  })

  it.each([
    ['all:\n  hosts:\n    - web1\n    - web2\n', /:2: hosts of group all must be a mapping/],
    ['all:\n  hostz:\n    web1:\n', /:2: unexpected key "hostz" in group all/],
    ['all: &top\n  children:\n    again: *top\n', /:3: an alias \(\*name\) points back at a mapping that contains it/],
    ['plugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n', /:1: this is an inventory plugin configuration/],
    ['all:\n  hosts:\n    web1: {ansible_port: [22]\n', /:\d+: not valid YAML/],
    ['all:\n  hosts:\n    web1:\n      ansible_user: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        6162\n', /:4: ansible_user of host web1 is encrypted with ansible-vault/],
  ])('rejects %j naming the line', async (text, message) => {
    await expect(load('bad.yml', text)).rejects.toMatchObject({code: 'INVENTORY_INVALID', message: expect.stringMatching(message)})
  })
})

describe('CSV inventory', () => {
  it('reads quoting, tags, user@host:port, comments, blank lines and CRLF', async () => {
    const hosts = await loadInventory(`${FIXTURES}/hosts.csv`, {homeDir: HOME})
    const source = (line: number) => `${FIXTURES}/hosts.csv:${line}`
    expect(hosts).toEqual([
      {name: 'web01', host: '10.0.0.5', port: 2222, user: 'deploy', identityFile: `${HOME}/.ssh/id_deploy`, groups: ['frontend', 'web'], source: source(3)},
      {name: 'web02', host: '10.0.0.6', user: 'deploy', identityFile: `${HOME}/.ssh/id_deploy`, groups: ['frontend', 'web'], source: source(4)},
      {name: 'billing, old', host: 'db.internal', port: 5432, user: 'postgres', identityFile: '/keys/"legacy" db.pem', groups: ['db', 'legacy'], source: source(7)},
      {name: 'bastion.example.com', host: 'bastion.example.com', port: 2201, user: 'ops', groups: [], source: source(8)},
      {name: 'old-ipv6', host: 'fe80::10', user: 'root', groups: ['critical', 'legacy'], source: source(9)},
    ])
  })

  it('reads a semicolon-delimited export and a host-only file', async () => {
    expect(await load('semi.csv', 'host;user;tags\n10.0.0.1;root;"a b"\n')).toEqual([{name: '10.0.0.1', host: '10.0.0.1', user: 'root', groups: ['a', 'b'], source: `${dir}/semi.csv:2`}])
    expect((await load('plain.csv', 'host\nweb1\nweb2\n')).map((host) => host.name)).toEqual(['web1', 'web2'])
  })

  it.each([
    ['host,user,group,ssh_key\nweb1,root,web,k\n', /:1: unknown columns "group", "ssh_key" in the header/],
    ['user,port\nroot,22\n', /:1: the header has no host column/],
    ['host,port\nweb1,22\nweb2,ssh\n', /:3: port "ssh" is not a number from 1 to 65535/],
    ['host,port\nweb1,70000\n', /:2: port "70000"/],
    ['host,name\n10.0.0.1,web\n\n# again\n10.0.0.2,web\n', /:5: host name "web" is already used on line 2/],
    ['host,user\nweb1,root,extra\n', /:2: 3 fields but the header names 2 columns/],
    ['host,tags\nweb1,"web\n', /:2: a quoted field is never closed/],
    ['host,user\nroot@web1,admin\n', /:2: the host column says user root but the user column says admin/],
    ['host\n,\n', /:2: /],
    ['host,name\nweb1,../escape\n', /:2: host name "..\/escape" cannot be used as a workspace folder name/],
  ])('rejects %j naming the line', async (text, message) => {
    await expect(load('bad.csv', text)).rejects.toMatchObject({code: 'INVENTORY_INVALID', message: expect.stringMatching(message), suggestion: expect.any(String)})
  })

  it('lists the columns it knows when one is unknown', async () => {
    await expect(load('bad.csv', 'host,role\nweb1,web\n')).rejects.toMatchObject({suggestion: expect.stringContaining('host, user, port, identity, tags, name')})
  })
})

describe('ssh_config inventory', () => {
  it('makes a host of every alias without wildcards, for the SSH layer to resolve', async () => {
    const hosts = await loadInventory(`${FIXTURES}/ssh_config`, {homeDir: HOME})
    const source = (line: number) => `${FIXTURES}/ssh_config:${line}`
    expect(hosts).toEqual([
      {name: 'bastion', host: 'bastion.example.com', port: 2201, user: 'jump', identityFile: `${HOME}/.ssh/id_ed25519`, groups: [], source: source(4), sshConfigAlias: 'bastion'},
      {name: 'web1', host: '10.0.0.5', user: 'consultant', identityFile: `${HOME}/.ssh/id_web`, groups: [], source: source(9), sshConfigAlias: 'web1'},
      {name: 'web1.prod', host: '10.0.0.5', user: 'deploy', identityFile: `${HOME}/.ssh/id_web`, groups: [], source: source(9), sshConfigAlias: 'web1.prod'},
      {name: 'web2', host: 'web2.example.com', user: 'consultant', identityFile: `${HOME}/.ssh/id_ed25519`, groups: [], source: source(14), sshConfigAlias: 'web2'},
      // Port 22x is left for the SSH layer to report; the Match exec block is never run.
      {name: 'legacy', host: '192.168.7.20', user: 'consultant', identityFile: `${HOME}/.ssh/id_ed25519`, groups: [], source: source(26), sshConfigAlias: 'legacy'},
    ])
  })

  it('never runs Match exec and reports a file of patterns only as having no hosts', async () => {
    const marker = join(dir, 'match-exec-ran')
    const hosts = await load('config', `Match exec "touch ${marker}"\n  User root\nHost box\n  User me\n`)
    expect(hosts.map((host) => [host.name, host.user])).toEqual([['box', 'me']])
    expect(existsSync(marker)).toBe(false)
    await expect(load('config', 'Host *\n  User me\nHost *.prod\n  Port 2\n')).rejects.toMatchObject({message: expect.stringContaining('lists no hosts')})
  })
})

describe('format detection', () => {
  it.each([
    ['hosts.csv', 'anything', 'csv'],
    ['hosts.yaml', 'web1', 'ansible-yaml'],
    ['hosts.json', '{"all": {}}', 'ansible-yaml'],
    ['inventory.ini', 'Host web1', 'ansible-ini'],
    ['hosts', '# estate\n[web]\nweb1\n', 'ansible-ini'],
    ['hosts', 'web1\nweb2 ansible_port=2222\n', 'ansible-ini'],
    ['hosts', '---\nall:\n  hosts:\n', 'ansible-yaml'],
    ['inventory', 'all:\n  hosts:\n    web1:\n', 'ansible-yaml'],
    ['hosts.txt', 'host,user\nweb1,root\n', 'csv'],
    ['my-ssh-hosts', '# jump hosts\nHost bastion\n  HostName 10.0.0.1\n', 'ssh-config'],
    ['config', '', 'ssh-config'],
  ] as const)('reads %s (%j) as %s', (file, text, format) => {
    expect(detectFormat(file, text)).toBe(format)
  })

  it('loads a file without extension by its content, or as the format given', async () => {
    expect((await load('estate', 'host,tags\nweb1,web\n')).map((host) => host.groups)).toEqual([['web']])
    expect((await load('estate.txt', 'Host box\n', {format: 'ssh-config'}))[0]?.sshConfigAlias).toBe('box')
  })
})

describe('--limit', () => {
  const production = (limit: string[]) => loadInventory(`${FIXTURES}/production.ini`, {homeDir: HOME, limit}).then((hosts) => hosts.map((host) => host.name))

  it.each([
    [['db'], ['db-a.internal', 'db-b.internal', 'db-c.internal']],
    [['legacy', 'app-a'], ['web01.example.com', 'app-a', 'oldbox']],
    [['web*'], ['web01.example.com', 'web02.example.com', 'web03.example.com', 'web04.example.com']],
    [['linux,!web', '!db'], ['app-a', 'app-b', 'app-c', 'oldbox']],
    [['!prod'], ['bastion.example.com']],
    [['web', '&legacy'], ['web01.example.com']],
    [['~^db-[ab]'], ['db-a.internal', 'db-b.internal']],
    [['app:db:!db-c.internal'], ['app-a', 'app-b', 'app-c', 'db-a.internal', 'db-b.internal']],
    [['ungrouped'], ['bastion.example.com']],
  ])('%j keeps %j', async (limit, expected) => {
    expect(await production(limit)).toEqual(expected)
  })

  it('matches CSV tags', async () => {
    expect((await loadInventory(`${FIXTURES}/hosts.csv`, {limit: ['legacy']})).map((host) => host.name)).toEqual(['billing, old', 'old-ipv6'])
  })

  it('rejects a pattern that matches nothing, listing the groups', async () => {
    await expect(production(['webservers'])).rejects.toMatchObject({
      code: 'INVENTORY_INVALID',
      message: expect.stringContaining('--limit "webservers" matches no host'),
      suggestion: expect.stringContaining('Groups: app, db, legacy, linux, prod, ungrouped, web.'),
    })
    await expect(production(['!nosuchhost'])).rejects.toMatchObject({message: expect.stringContaining('"!nosuchhost" matches no host')})
    await expect(production(['web', '!linux'])).rejects.toMatchObject({message: expect.stringContaining('leaves no host to scan')})
  })

  it('works out connection variables only for the hosts it keeps', async () => {
    const text = '[ok]\ngood ansible_port=22\n[broken]\nbad ansible_port=twenty-two\n'
    expect((await load('partly.ini', text, {limit: ['ok']})).map((host) => host.name)).toEqual(['good'])
    await expect(load('partly.ini', text)).rejects.toMatchObject({message: expect.stringMatching(/partly\.ini:4: ansible_port "twenty-two"/)})
  })
})

describe('reading the file', () => {
  it('says what to do about a missing, empty or vault-encrypted file', async () => {
    await expect(loadInventory(join(dir, 'nope.ini'))).rejects.toMatchObject({code: 'INVENTORY_INVALID', message: expect.stringContaining('no such inventory file')})
    await expect(load('empty.ini', '# nothing yet\n')).rejects.toMatchObject({message: expect.stringContaining('(read as ansible-ini) lists no hosts')})
    await expect(load('secret.yml', '$ANSIBLE_VAULT;1.1;AES256\n6162\n')).rejects.toMatchObject({suggestion: expect.stringContaining('ansible-vault view')})
  })
})

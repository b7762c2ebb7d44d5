import {execFile, execFileSync} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import os from 'node:os'
import {join, resolve} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {expandHome} from '../../../src/batch/inventory/home.js'
import {expandHostPattern} from '../../../src/batch/inventory/host-pattern.js'
import {pythonLiteral, shlexSplit} from '../../../src/batch/inventory/ini-values.js'
import {loadInventory, type InventoryHost} from '../../../src/batch/inventory/load.js'

const run = promisify(execFile)
const FIXTURES = resolve('test/fixtures/inventories')
const HOME = '/home/consultant'

function hasAnsible(): boolean {
  try {
    execFileSync('ansible-inventory', ['--version'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

const ansible = hasAnsible()

/** Python snippets run in Ansible's own interpreter, so the reference is Ansible's code itself. */
function python(script: string, input: unknown): unknown {
  const interpreter = execFileSync('sh', ['-c', "head -1 \"$(command -v ansible-inventory)\" | sed 's/^#! *//'"], {encoding: 'utf8'}).trim().split(/\s+/)
  const out = execFileSync(interpreter[0] as string, [...interpreter.slice(1), '-c', script], {input: JSON.stringify(input), encoding: 'utf8'})
  return JSON.parse(out)
}

interface ListOutput {
  _meta: {hostvars: Record<string, Record<string, unknown>>}
  [group: string]: {hosts?: string[]; children?: string[]} | ListOutput['_meta']
}

/** What Hoist should make of `ansible-inventory --list`: group closure and the ssh plugin's variable choice. */
function expectedFromAnsible(list: ListOutput): Omit<InventoryHost, 'source'>[] {
  const parents = new Map<string, Set<string>>()
  const direct = new Map<string, Set<string>>()
  for (const [group, data] of Object.entries(list)) {
    if (group === '_meta') continue
    const {hosts = [], children = []} = data as {hosts?: string[]; children?: string[]}
    for (const child of children) parents.set(child, (parents.get(child) ?? new Set()).add(group))
    for (const host of hosts) direct.set(host, (direct.get(host) ?? new Set()).add(group))
  }
  const closure = (groups: Iterable<string>): Set<string> => {
    const found = new Set<string>()
    const pending = [...groups]
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      if (found.has(next)) continue
      found.add(next)
      pending.push(...(parents.get(next) ?? []))
    }
    found.delete('all')
    return found
  }
  const unwrap = (value: unknown): unknown => (typeof value === 'object' && value !== null && '__ansible_unsafe' in value ? (value as {__ansible_unsafe: unknown}).__ansible_unsafe : value)
  // _meta.hostvars lists only hosts that have variables.
  const names = new Set([...direct.keys(), ...Object.keys(list._meta.hostvars)])
  return [...names].map((name) => {
    const vars = list._meta.hostvars[name] ?? {}
    const last = (...names: string[]): unknown => names.map((key) => unwrap(vars[key])).filter((value) => value !== null && value !== undefined).at(-1)
    const host = last('ansible_host', 'ansible_ssh_host')
    const user = last('ansible_user', 'ansible_ssh_user')
    const port = last('ansible_port', 'ansible_ssh_port')
    const key = last('ansible_private_key_file', 'ansible_ssh_private_key_file')
    return {
      name,
      host: host === undefined ? name : String(host),
      ...(port !== undefined ? {port: Number(port)} : {}),
      ...(user !== undefined ? {user: String(user)} : {}),
      ...(key !== undefined ? {identityFile: expandHome(String(key), HOME)} : {}),
      groups: [...closure(direct.get(name) ?? [])].sort(),
    }
  })
}

const sortByName = <T extends {name: string}>(hosts: T[]): T[] => [...hosts].sort((a, b) => (a.name < b.name ? -1 : 1))

// Ansible is the reference these tests compare with: a test dependency (.ci/run installs it), so
// its absence fails here rather than passing quietly.
it('ansible-inventory is installed (apt-get install ansible)', () => {
  expect(ansible, 'ansible-inventory not found: install Debian\'s ansible, as .ci/run does').toBeTruthy()
})

describe('the same hosts as ansible-inventory --list', () => {
  let cwd: string
  beforeAll(async () => {
    // An empty working directory, so no ansible.cfg of the checkout changes what Ansible reads.
    cwd = await mkdtemp(join(os.tmpdir(), 'hoist-ansible-'))
  })
  afterAll(async () => {
    await rm(cwd, {recursive: true, force: true})
  })

  it.each(['production.ini', 'production.yml', 'quirks.ini', 'quirks.yml'])('%s', async (name) => {
    const file = join(FIXTURES, name)
    const plugin = name.endsWith('.ini') ? 'ini' : 'yaml'
    const {stdout} = await run('ansible-inventory', ['-i', file, '--list'], {
      cwd,
      env: {...process.env, ANSIBLE_INVENTORY_ENABLED: plugin, ANSIBLE_INVENTORY_UNPARSED_FAILED: 'true', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: cwd},
    })
    const reference = sortByName(expectedFromAnsible(JSON.parse(stdout) as ListOutput))
    const ours = sortByName((await loadInventory(file, {homeDir: HOME})).map(({source: _source, ...rest}) => rest))
    expect(reference.length).toBeGreaterThan(4)
    expect(ours).toEqual(reference)
  })
})

describe("the INI primitives against Ansible's own functions", () => {
  it('parses values as InventoryModule._parse_value does', () => {
    const values = ['2222', '"2222"', "'01234'", '01234', '0x8ae', '0o17', '1_000', '-5', '+ 5', '1.5', '1e3', '10.0.0.5', 'deploy', 'True', 'False', 'None', '',
      'plain word # comment', "'quoted' # comment", '"a" \'b\'', "'it\\'s'", '"tab\\there"', 'r"raw\\n"', "'#hash'", '"unclosed', 'a=b', '~/.ssh/k', '{{ x }}', '0', '00', '1.', '.5']
    const reference = python(
      'import json,sys\nfrom ansible.plugins.inventory.ini import InventoryModule\nprint(json.dumps([InventoryModule._parse_value(v) for v in json.load(sys.stdin)]))',
      values,
    )
    expect(values.map(pythonLiteral)).toEqual(reference)
  })

  it('splits host lines as shlex.split(comments=True) does', () => {
    const lines = ['web1 a=b#c d=e', 'web1 a="x y" # c', 'h k="a\\"b" k2=\'q\'', 'h k=v\\ w', "h k='a \"b\" c'", 'h\tk=1   k2="" k3=\'\'', 'h k="back\\\\slash" k2="keep\\n"']
    const reference = python('import json,sys,shlex\nprint(json.dumps([shlex.split(l, comments=True) for l in json.load(sys.stdin)]))', lines)
    expect(lines.map(shlexSplit)).toEqual(reference)
  })

  it('expands host patterns as _expand_hostpattern does', () => {
    const patterns = ['web[01:03].example.com', 'db-[a:c]', 'h[1:10:3]', 'x[a:b][1:2]', 'n[:2]', 'web1:2222', '[2001:db8::7]:22', 'fe80::1', '10.0.0.[1:3]:2200', 'w[A:C]', 'odd_name!:22', 'a.b-c_d']
    const reference = python(
      'import json,sys\nfrom ansible.plugins.inventory.ini import InventoryModule\nm=InventoryModule()\nprint(json.dumps([list(m._expand_hostpattern(p)) for p in json.load(sys.stdin)]))',
      patterns,
    ) as [string[], number | null][]
    expect(patterns.map((pattern) => expandHostPattern(pattern, 'test'))).toEqual(reference.map(([names, port]) => ({names, ...(port !== null ? {port} : {})})))
  })
})

import {describe, expect, it} from 'vitest'
import {renderLinuxkit} from '../../../src/render/linuxkit/linuxkit.js'
import {attackSurface} from '../../../src/report/attack-surface.js'
import {fixture} from '../render/fixture-artifacts.js'

function surface(host: 'debian12-legacy' | 'debian12-stacks') {
  const {facts, plan, artifacts} = fixture(host)
  return attackSurface(facts, artifacts, renderLinuxkit(artifacts, plan, facts), plan)
}

describe('attack surface, before and after the move', () => {
  it('debian12-legacy: what the host exposed, and what the substrate and images do', () => {
    const {before, after} = surface('debian12-legacy')
    expect(before.packages.count).toBe(167)
    expect(before.listeningPorts).toEqual([
      {protocol: 'tcp', port: 22, owner: 'sshd', exposed: true},
      {protocol: 'tcp', port: 80, owner: 'nginx', exposed: true},
      {protocol: 'tcp', port: 5432, owner: 'postgres', exposed: false},
      {protocol: 'tcp', port: 6379, owner: 'redis-server', exposed: false},
      {protocol: 'tcp', port: 8080, owner: 'python3', exposed: true},
    ])
    // The scan's own SSH session (sshd → sh → head …) is not counted.
    expect(before.rootProcesses).toEqual(['cron', 'hoist-init', 'nginx', 'sleep', 'sshd'])
    expect(before.openServices).toEqual(['nginx', 'python3', 'sshd'])

    // sshd and cron are gone; redis and PostgreSQL stay on loopback.
    expect(after.listeningPorts.map((p) => `${p.port}${p.exposed ? '' : ' (loopback)'}`)).toEqual(['80', '5432 (loopback)', '6379 (loopback)', '8080'])
    expect(after.openServices).toEqual(['app', 'nginx'])
    expect(after.rootProcesses).toEqual(['containerd', 'containerd-shim', 'init', 'nginx'])
    // The plan's packages: redis-server, redis-tools, postgresql-15, nginx, python3, python3.11.
    expect(after.packages.count).toBe(6)
    expect(after.packages.detail).toContainEqual({where: 'hoist/debian12-legacy-redis:1 (on debian:12)', count: 2})
  })

  it('says what it cannot measure instead of counting it as zero', () => {
    const {before, after, notes} = surface('debian12-stacks')
    expect(before.setuidBinaries).toBe('unknown')
    expect(after.setuidBinaries).toBe('unknown')
    expect(notes.join('\n')).toMatch(/Setuid binaries: unknown/)
    expect(notes.join('\n')).toMatch(/base images' own packages are not counted/)
  })

  it('debian12-stacks: the Erlang port mapper and sshd close; root-run services stay counted', () => {
    const {before, after} = surface('debian12-stacks')
    expect(before.openServices).toContain('epmd')
    expect(after.openServices).not.toContain('epmd')
    expect(after.listeningPorts.some((p) => p.port === 22)).toBe(false)
    expect(after.rootProcesses).toEqual(expect.arrayContaining(['apache-php', 'php-fpm']))
  })
})

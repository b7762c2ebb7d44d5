import {createHash} from 'node:crypto'
import {describe, expect, it} from 'vitest'
import {dirSource} from '../../../../src/collect/fetch/dir-source.js'
import {fetchPaths} from '../../../../src/collect/fetch/fetch.js'
import {hostTree, listTree, newSink} from './trees.js'

describe('fetchPaths over a local tree', () => {
  it('copies files and folders with their modes, owners, digests and roles', async () => {
    const root = hostTree({
      'etc/nginx/nginx.conf': {data: 'worker_processes 2;\n', mode: 0o640},
      'etc/nginx/conf.d/site.conf': 'server { listen 80; }\n',
      'opt/app/bin/run': {data: '#!/bin/sh\nexec app\n', mode: 0o4755},
      'opt/app/shared': {dir: 0o2775},
    })
    const {rootfs, sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/etc/nginx', role: 'config'}, {path: '/opt/app/', role: 'app'}], sink)
    expect(report.files.map((f) => [f.path, f.role, f.mode])).toEqual([
      ['/etc/nginx/conf.d/site.conf', 'config', 0o644],
      ['/etc/nginx/nginx.conf', 'config', 0o640],
      ['/opt/app/bin/run', 'app', 0o755],
    ])
    const conf = report.files.find((f) => f.path === '/etc/nginx/nginx.conf')
    expect(conf).toMatchObject({size: 20, uid: process.getuid?.(), sha256: createHash('sha256').update('worker_processes 2;\n').digest('hex'), redactions: 0})
    expect(report.dirs.map((d) => [d.path, d.mode])).toEqual([
      ['/etc/nginx', 0o755],
      ['/etc/nginx/conf.d', 0o755],
      ['/opt/app', 0o755],
      ['/opt/app/bin', 0o755],
      ['/opt/app/shared', 0o775],
    ])
    // setuid and setgid never reach the context; the host's modes are kept in the report.
    expect(report.setIdStripped).toEqual([
      {path: '/opt/app/bin/run', hostMode: 0o4755},
      {path: '/opt/app/shared', hostMode: 0o2775},
    ])
    const tree = listTree(rootfs)
    expect(tree['etc/nginx/nginx.conf']).toEqual({type: 'file', mode: 0o640, content: 'worker_processes 2;\n'})
    expect(tree['opt/app/bin/run']?.mode).toBe(0o755)
    expect(tree['opt/app/shared']).toEqual({type: 'dir', mode: 0o775})
    expect(report.bytes).toBe(20 + 22 + 19)
    expect(report.errors).toEqual([])
  })

  it('refuses relative and .. paths, and says when a requested path does not exist', async () => {
    const root = hostTree({'etc/a.conf': 'a=1\n'})
    const {rootfs, sink} = newSink()
    const report = await fetchPaths(dirSource(root), [
      {path: 'etc/a.conf', role: 'config'},
      {path: '/etc/../etc/a.conf', role: 'config'},
      {path: '/etc/missing.conf', role: 'config'},
      {path: '/etc//./a.conf', role: 'config'},
    ], sink)
    expect(report.skipped).toEqual([
      {path: 'etc/a.conf', reason: 'refused: not an absolute path'},
      {path: '/etc/../etc/a.conf', reason: 'refused: has a .. component'},
      {path: '/etc/missing.conf', reason: 'does not exist on the host'},
    ])
    expect(report.files.map((f) => f.path)).toEqual(['/etc/a.conf'])
    expect(Object.keys(listTree(rootfs)).sort()).toEqual(['etc', 'etc/a.conf'])
  })

  it('gives a request inside another its own role', async () => {
    const root = hostTree({'opt/app/app.py': 'print(1)\n', 'opt/app/conf/app.ini': '[x]\n'})
    const {sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/opt/app/conf', role: 'config'}, {path: '/opt/app', role: 'app'}], sink)
    expect(report.files.map((f) => [f.path, f.role])).toEqual([
      ['/opt/app/app.py', 'app'],
      ['/opt/app/conf/app.ini', 'config'],
    ])
  })

  it('copies binary files unchanged and skips fifos', async () => {
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 0xfe, ...Buffer.from('password=notredacted')])
    const root = hostTree({'opt/app/lib.so': binary, 'opt/app/queue': 'fifo'})
    const {rootfs, sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/opt/app', role: 'app'}], sink)
    expect(listTree(rootfs)['opt/app/lib.so']?.content).toBe(binary.toString('latin1'))
    expect(report.files[0]).toMatchObject({path: '/opt/app/lib.so', redactions: 0, size: binary.length})
    expect(report.skipped).toEqual([{path: '/opt/app/queue', reason: 'a socket, fifo or device: not copied'}])
  })

  it('keeps odd names (spaces, newlines, non-UTF-8 bytes) as they are, inside rootfs', async () => {
    const root = hostTree({'srv/data/with space.txt': 'a\n', 'srv/data/new\nline.txt': 'b\n', 'srv/data/caf\u00e9.txt': 'c\n'})
    const {rootfs, sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/srv/data', role: 'content'}], sink)
    expect(report.files.map((f) => f.path).sort()).toEqual(['/srv/data/caf\u00e9.txt', '/srv/data/new\nline.txt', '/srv/data/with space.txt'])
    expect(Object.keys(listTree(rootfs)).sort()).toEqual(['srv', 'srv/data', 'srv/data/caf\u00e9.txt', 'srv/data/new\nline.txt', 'srv/data/with space.txt'])
  })
})

describe('symlinks', () => {
  it('are recreated only when they point inside the named paths, and never followed', async () => {
    const root = hostTree({
      'opt/app/releases/v1/app.py': 'print(1)\n',
      'opt/app/current': {link: 'releases/v1'},
      'opt/app/abs-inside': {link: '/opt/app/releases/v1/app.py'},
      'opt/app/shadow': {link: '/etc/shadow'},
      'opt/app/climb': {link: '../../..'},
      'opt/app/cfg': {link: '/etc/app/app.ini'},
      'etc/shadow': 'root:$6$hash:19000::::::\n',
      'etc/app/app.ini': '[app]\n',
    })
    const {rootfs, sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/opt/app', role: 'app'}, {path: '/etc/app', role: 'config'}], sink, {discover: false})
    expect(report.symlinks.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      {path: '/opt/app/abs-inside', target: '/opt/app/releases/v1/app.py'},
      {path: '/opt/app/cfg', target: '/etc/app/app.ini'},
      {path: '/opt/app/current', target: 'releases/v1'},
    ])
    expect(report.skipped).toEqual([
      {path: '/opt/app/climb', reason: 'points outside the named paths'},
      {path: '/opt/app/shadow', reason: 'points outside the named paths'},
    ])
    const tree = listTree(rootfs)
    expect(tree['opt/app/current']).toEqual({type: 'symlink', mode: 0, content: 'releases/v1'})
    expect(tree['opt/app/shadow']).toBeUndefined()
    expect(Object.values(tree).some((entry) => entry.content?.includes('$6$hash'))).toBe(false)
  })

  it('are not followed when the requested path itself is one', async () => {
    const root = hostTree({'etc/nginx': {link: '/usr/share/nginx-conf'}, 'usr/share/nginx-conf/nginx.conf': 'x\n'})
    const {rootfs, sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/etc/nginx', role: 'config'}], sink)
    expect(report.files).toEqual([])
    expect(report.skipped).toEqual([{path: '/etc/nginx', reason: 'points outside the named paths'}])
    expect(listTree(rootfs)).toEqual({})
  })
})

describe('paths named in copied files', () => {
  it('takes the folder of a file made at run time, and creates nothing for a path that is not there', async () => {
    const root = hostTree({
      'opt/reports/bin/nightly.sh': 'out=/var/lib/reports/report-$(date +%F).txt\nls /srv/nowhere/x.txt\n',
      'var/lib/reports': {dir: 0o750},
      'var/log/reports': {dir: 0o755},
    })
    const {sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/opt/reports/bin/nightly.sh', role: 'application'}], sink)
    expect(report.discovered).toEqual([{path: '/var/lib/reports', type: 'dir', namedIn: {file: '/opt/reports/bin/nightly.sh', line: 1}, copied: true}])
    expect(report.dirs.map((d) => d.path)).toContain('/var/lib/reports')
  })
})

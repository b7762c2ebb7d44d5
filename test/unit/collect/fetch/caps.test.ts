import {describe, expect, it} from 'vitest'
import {dirSource} from '../../../../src/collect/fetch/dir-source.js'
import {DEFAULT_FETCH_CAPS, fetchPaths} from '../../../../src/collect/fetch/fetch.js'
import {hostTree, listTree, newSink} from './trees.js'

// Every cap that bites says so in capsHit (cap, limit, where), and what it kept out is in skipped.
describe('caps', () => {
  it('have the documented defaults', () => {
    expect(DEFAULT_FETCH_CAPS).toMatchObject({maxFileBytes: 64 * 1024 * 1024, maxTotalBytes: 512 * 1024 * 1024, maxFiles: 20_000, maxDepth: 32, discover: true, discoverDepth: 1})
  })

  it('maxFileBytes skips each larger file without reading it, and copies the rest', async () => {
    const root = hostTree({'srv/a/big.bin': Buffer.alloc(2000, 1), 'srv/a/huge.bin': Buffer.alloc(5000, 1), 'srv/a/small.txt': 'ok\n'})
    const {rootfs, sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/srv/a', role: 'data'}], sink, {maxFileBytes: 1000})
    expect(report.capsHit).toEqual([
      {cap: 'maxFileBytes', limit: 1000, path: '/srv/a/big.bin'},
      {cap: 'maxFileBytes', limit: 1000, path: '/srv/a/huge.bin'},
    ])
    expect(report.skipped.map((s) => s.path)).toEqual(['/srv/a/big.bin', '/srv/a/huge.bin'])
    expect(Object.keys(listTree(rootfs)).sort()).toEqual(['srv', 'srv/a', 'srv/a/small.txt'])
  })

  it('maxTotalBytes is recorded where it first bit; smaller files that still fit are copied', async () => {
    const root = hostTree({'srv/a/1.bin': Buffer.alloc(600), 'srv/a/2.bin': Buffer.alloc(600), 'srv/a/3.bin': Buffer.alloc(300)})
    const {sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/srv/a', role: 'data'}], sink, {maxTotalBytes: 1000})
    expect(report.capsHit).toEqual([{cap: 'maxTotalBytes', limit: 1000, path: '/srv/a/2.bin'}])
    expect(report.skipped).toEqual([{path: '/srv/a/2.bin', reason: 'would pass maxTotalBytes (1000 bytes)'}])
    expect(report.files.map((f) => f.path)).toEqual(['/srv/a/1.bin', '/srv/a/3.bin'])
    expect(report.bytes).toBe(900)
  })

  it('maxFiles stops writing, lists each file it kept out and does not walk further folders', async () => {
    const root = hostTree({'srv/a/1': 'x', 'srv/a/2': 'x', 'srv/a/3': 'x', 'srv/b/sub/4': 'x', 'srv/a/link': {link: '1'}})
    const {sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/srv', role: 'data'}], sink, {maxFiles: 2})
    expect(report.capsHit).toEqual([{cap: 'maxFiles', limit: 2, path: '/srv/a/3'}])
    expect(report.files.map((f) => f.path)).toEqual(['/srv/a/1', '/srv/a/2'])
    expect(report.skipped).toEqual([
      {path: '/srv/a/3', reason: 'maxFiles (2) reached'},
      {path: '/srv/b', reason: 'maxFiles (2) reached: not walked'},
      {path: '/srv/a/link', reason: 'maxFiles (2) reached'},
    ])
  })

  it('maxDepth stops the walk below the requested path', async () => {
    const root = hostTree({'srv/d/1/f': 'x', 'srv/d/1/2/f': 'x', 'srv/d/1/2/3/f': 'x'})
    const {sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/srv/d', role: 'data'}], sink, {maxDepth: 2})
    expect(report.files.map((f) => f.path)).toEqual(['/srv/d/1/2/f', '/srv/d/1/f'])
    expect(report.capsHit).toEqual([{cap: 'maxDepth', limit: 2, path: '/srv/d/1/2/3'}])
    expect(report.skipped).toEqual([{path: '/srv/d/1/2/3', reason: 'deeper than maxDepth (2) below /srv/d: not walked'}])
  })

  it('maxDiscovered bounds how many named paths are checked on the host', async () => {
    const names = Array.from({length: 5}, (_, i) => `/etc/app${i}/x.conf`)
    const root = hostTree({'opt/app/app.py': names.map((n) => `open("${n}")\n`).join(''), ...Object.fromEntries(names.map((n) => [n.slice(1), 'k=v\n']))})
    const {sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/opt/app', role: 'app'}], sink, {maxDiscovered: 3})
    expect(report.discovered.map((d) => d.path)).toEqual(names.slice(0, 3))
    expect(report.capsHit).toEqual([{cap: 'maxDiscovered', limit: 3, path: '/etc/app3/x.conf'}])
  })

  it('a large discovered folder is recorded, not copied', async () => {
    const files = Object.fromEntries(Array.from({length: 6}, (_, i) => [`srv/uploads/${i}.jpg`, Buffer.alloc(10)]))
    const root = hostTree({'opt/app/app.py': 'UPLOADS = "/srv/uploads"\nCACHE = "/srv/small"\n', 'srv/small/a.txt': 'a\n', ...files})
    const {sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/opt/app', role: 'app'}], sink, {maxDiscoveredDirFiles: 5})
    expect(report.discovered).toEqual([
      {path: '/srv/small', type: 'dir', namedIn: {file: '/opt/app/app.py', line: 2}, copied: true},
      {path: '/srv/uploads', type: 'dir', namedIn: {file: '/opt/app/app.py', line: 1}, copied: false, reason: 'more than 5 entries: name it in the plan to copy it, or mount it as a volume'},
    ])
    expect(report.capsHit).toEqual([{cap: 'maxDiscoveredDirFiles', limit: 5, path: '/srv/uploads'}])
    expect(report.files.map((f) => f.path)).toEqual(['/opt/app/app.py', '/srv/small/a.txt'])
  })
})

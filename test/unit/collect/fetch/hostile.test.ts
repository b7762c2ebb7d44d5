import {mkdtempSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {fetchPaths} from '../../../../src/collect/fetch/fetch.js'
import {SourcePathError, type FileSource, type FileStat} from '../../../../src/collect/fetch/source.js'
import {HoistError} from '../../../../src/errors.js'
import {listTree, newSink} from './trees.js'

type Node = {type: 'dir'; names: string[]} | {type: 'file'; data: string} | {type: 'symlink'; target: string}

/** A host that says whatever it likes: names with slashes, `..`, links where folders were. */
function lyingSource(nodes: Record<string, Node>): FileSource {
  const stat = (node: Node): FileStat => ({type: node.type, size: node.type === 'file' ? node.data.length : 0, mode: node.type === 'dir' ? 0o755 : 0o644, uid: 0, gid: 0, mtimeMs: 0})
  return {
    label: 'liar',
    lstat: async (path) => (nodes[path] ? stat(nodes[path] as Node) : undefined),
    readdir: async (path) => (nodes[path]?.type === 'dir' ? nodes[path].names : []),
    readlink: async (path) => (nodes[path]?.type === 'symlink' ? nodes[path].target : ''),
    read: async (path) => Buffer.from(nodes[path]?.type === 'file' ? nodes[path].data : ''),
    close: async () => {},
  }
}

describe('a hostile host', () => {
  it('cannot write outside the build context through a link it planted earlier', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'hoist-outside-'))
    const {rootfs, sink} = newSink()
    // First fetch: /h/x is a link to a folder this machine has (the host named it, so it is "inside").
    const first = await fetchPaths(lyingSource({'/h': {type: 'dir', names: ['x']}, '/h/x': {type: 'symlink', target: outside}, [outside]: {type: 'dir', names: []}}), [{path: '/h', role: 'app'}, {path: outside, role: 'app'}], sink)
    expect(first.symlinks).toEqual([{path: '/h/x', target: outside}])
    // Second fetch into the same context: now /h/x is "a folder" holding evil.
    const second = await fetchPaths(lyingSource({'/h/x': {type: 'dir', names: ['evil']}, '/h/x/evil': {type: 'file', data: 'pwned'}}), [{path: '/h/x', role: 'app'}], sink)
    expect(second.files).toEqual([])
    expect(second.skipped.map((s) => s.path)).toEqual(['/h/x'])
    expect(second.skipped[0]?.reason).toContain('symbolic link')
    expect(readdirSync(outside)).toEqual([])
  })

  it('cannot climb out with names holding `..` or slashes, or with relative link targets', async () => {
    const {contextRoot, rootfs, sink} = newSink()
    const report = await fetchPaths(
      lyingSource({
        '/h': {type: 'dir', names: ['..', '../../escape', 'a/b', '', 'ok', 'up']},
        '/h/ok': {type: 'file', data: 'fine'},
        '/h/up': {type: 'symlink', target: '../../../../../../../tmp'},
      }),
      [{path: '/h', role: 'app'}, {path: '/h\n/../..', role: 'app'}],
      sink,
    )
    expect(report.files.map((f) => f.path)).toEqual(['/h/ok'])
    expect(report.errors.map((e) => e.message)).toEqual(Array(4).fill('/h: the host listed an impossible entry name'))
    expect(report.skipped).toEqual([
      {path: '/h\n/../..', reason: 'refused: has a .. component'},
      {path: '/h/up', reason: 'points outside the named paths'},
    ])
    expect(Object.keys(listTree(contextRoot)).sort()).toEqual(['rootfs', 'rootfs/h', 'rootfs/h/ok'])
    expect(rootfs).toBe(join(contextRoot, 'rootfs'))
  })
})

describe('trouble reading the host', () => {
  const source = (fail: (path: string) => Error | undefined): FileSource => {
    const inner = lyingSource({'/h': {type: 'dir', names: ['a', 'b', 'c']}, '/h/a': {type: 'file', data: 'a'}, '/h/b': {type: 'file', data: 'b'}, '/h/c': {type: 'file', data: 'c'}})
    const guard = async <T>(path: string, op: () => Promise<T>): Promise<T> => {
      const error = fail(path)
      if (error) throw error
      return op()
    }
    return {...inner, read: (path, max) => guard(path, () => inner.read(path, max)), readdir: (path) => guard(path, () => inner.readdir(path))}
  }

  it('records a permission denied as data and goes on', async () => {
    const {sink} = newSink()
    const report = await fetchPaths(source((path) => (path === '/h/b' ? new SourcePathError(path, 'denied', `${path}: permission denied`) : undefined)), [{path: '/h', role: 'app'}], sink)
    expect(report.errors).toEqual([{path: '/h/b', message: '/h/b: permission denied'}])
    expect(report.files.map((f) => f.path)).toEqual(['/h/a', '/h/c'])
  })

  it('stops at a lost connection instead of recording it', async () => {
    const lost = new HoistError('FETCH_FAILED', 'Reading files from liar over SFTP failed: the connection was lost.', 'Check the connection.', {host: 'liar'})
    const {sink} = newSink()
    await expect(fetchPaths(source((path) => (path === '/h/b' ? lost : undefined)), [{path: '/h', role: 'app'}], sink)).rejects.toBe(lost)
  })
})

describe('contextSink', () => {
  it('refuses `..`, writes through links and relative link targets that leave rootfs', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'hoist-outside-'))
    const {rootfs, sink} = newSink()
    await expect(sink.writeFile('/a/../../../evil', Buffer.from('x'), 0o644)).rejects.toMatchObject({code: 'WORKSPACE_INVALID'})
    await expect(sink.writeFile('relative', Buffer.from('x'), 0o644)).rejects.toMatchObject({code: 'WORKSPACE_INVALID'})
    await sink.symlink('/x', outside)
    await expect(sink.writeFile('/x/evil', Buffer.from('x'), 0o644)).rejects.toMatchObject({code: 'WORKSPACE_INVALID'})
    await expect(sink.mkdir('/x/sub', 0o755)).rejects.toMatchObject({code: 'WORKSPACE_INVALID'})
    // Writing over the link itself does not follow it either.
    await expect(sink.writeFile('/x', Buffer.from('x'), 0o644)).rejects.toMatchObject({code: 'WORKSPACE_INVALID'})
    await expect(sink.symlink('/a/b/up', '../../../outside')).rejects.toMatchObject({code: 'WORKSPACE_INVALID'})
    await sink.symlink('/a/b/sibling', '../c')
    await sink.writeFile('/a/file', Buffer.from('one'), 0o4755)
    await sink.writeFile('/a/file', Buffer.from('two'), 0o000)
    expect(readdirSync(outside)).toEqual([])
    expect(listTree(rootfs)).toEqual({
      x: {type: 'symlink', mode: 0, content: outside},
      a: {type: 'dir', mode: 0o755},
      'a/b': {type: 'dir', mode: 0o755},
      'a/b/sibling': {type: 'symlink', mode: 0, content: '../c'},
      'a/file': {type: 'file', mode: 0o400, content: 'two'},
    })
  })
})

import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {dirSource} from '../../../../src/collect/fetch/dir-source.js'
import {hostTree} from './trees.js'

// An unpacked copy of a host is as untrusted as the host: its links must never reach this machine's files.
describe('dirSource', () => {
  const outside = mkdtempSync(join(tmpdir(), 'hoist-outside-'))
  writeFileSync(join(outside, 'secret.txt'), 'this machine only\n')
  const root = hostTree({
    'etc/app/app.conf': 'a=1\n',
    'etc/app/link': {link: 'app.conf'},
    'etc/escape': {link: outside},
    'etc/climb': {link: '../../../../../../..'},
    'opt/current': {link: '/etc/app'},
    'opt/loop': {link: '/opt/loop'},
  })
  const source = dirSource(root)

  it('reports links as links and never reads through the last component', async () => {
    expect(await source.lstat('/etc/app/link')).toMatchObject({type: 'symlink'})
    expect(await source.readlink('/etc/app/link')).toBe('app.conf')
    await expect(source.read('/etc/app/link', 100)).rejects.toMatchObject({problem: 'changed'})
    await expect(source.readdir('/opt/current')).rejects.toMatchObject({name: 'SourcePathError'})
  })

  it('resolves links in the middle of a path inside root, as a chroot would', async () => {
    // /opt/current -> /etc/app means root's etc/app, not this machine's.
    expect((await source.read('/opt/current/app.conf', 100)).toString()).toBe('a=1\n')
    expect(await source.lstat('/etc/escape/secret.txt')).toBeUndefined()
    // `..` in a link target stops at root: /etc/climb is root itself, so /etc/climb/opt is root's opt.
    expect((await source.readdir('/etc/climb/opt')).sort()).toEqual(['current', 'loop'])
    await expect(source.lstat('/opt/loop/x')).rejects.toMatchObject({problem: 'other'})
  })

  it('refuses relative paths and `..`', async () => {
    await expect(source.lstat('etc/app')).rejects.toMatchObject({problem: 'not-allowed'})
    await expect(source.read('/etc/../../../etc/passwd', 1000)).rejects.toMatchObject({problem: 'not-allowed'})
  })

  it('reads a file whole, and refuses one larger than asked', async () => {
    expect(await source.lstat('/etc/app/app.conf')).toMatchObject({type: 'file', size: 4, mode: 0o644})
    await expect(source.read('/etc/app/app.conf', 3)).rejects.toMatchObject({problem: 'too-large'})
    expect(await source.lstat('/etc/nothing')).toBeUndefined()
    expect(await source.lstat('/etc/app/app.conf/below')).toBeUndefined()
  })
})

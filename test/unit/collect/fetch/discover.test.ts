import {describe, expect, it} from 'vitest'
import {dirSource} from '../../../../src/collect/fetch/dir-source.js'
import {isDiscoverable, namedInText} from '../../../../src/collect/fetch/discover.js'
import {fetchPaths} from '../../../../src/collect/fetch/fetch.js'
import {hostTree, listTree, newSink} from './trees.js'

describe('namedInText: paths', () => {
  it('finds quoted and bare absolute paths with their line, trimmed of punctuation', () => {
    const text = [
      'CONFIG = "/etc/billing/app.conf"',
      "data_dir: '/srv/billing/data/'",
      'see /opt/billing/README.md.',
      'ExecStart=/usr/local/bin/billing --conf=/etc/billing/extra.ini,/data/billing',
      'PATH=/usr/bin:/opt/tools/bin',
      'open(/home/billing/spool)',
    ].join('\n')
    expect(namedInText(text, '/opt/billing/app.py').paths).toEqual([
      {path: '/etc/billing/app.conf', line: 1},
      {path: '/srv/billing/data', line: 2},
      {path: '/opt/billing/README.md', line: 3},
      {path: '/usr/local/bin/billing', line: 4},
      {path: '/etc/billing/extra.ini', line: 4},
      {path: '/data/billing', line: 4},
      {path: '/opt/tools/bin', line: 5},
      {path: '/home/billing/spool', line: 6},
    ])
  })

  it('leaves out URLs, variables, relative paths, `..` and the file itself', () => {
    const text = 'http://example.com/etc/x.conf ${HOME}/etc/y $APP/etc/z ./etc/w etc/v /opt/a/../etc/passwd /opt/app/app.py s/etc/foo/bar/'
    expect(namedInText(text, '/opt/app/app.py').paths).toEqual([])
  })

  it('never offers OS files, secrets-bearing places or folders too broad to copy', () => {
    for (const path of ['/etc/shadow', '/etc/passwd', '/etc/ssl/certs/ca.pem', '/etc/ssh/sshd_config', '/var/log/app.log', '/var/run/app.pid', '/var/lib/dpkg/status', '/var/cache/x', '/proc/self/environ', '/tmp/x', '/usr/lib/x', '/bin/sh', '/lib64/ld.so', '/home/bob', '/home/bob/.ssh/id_rsa', '/root/.aws/credentials', '/opt/app/logs', '/etc', '/var/lib']) {
      expect(isDiscoverable(path), path).toBe(false)
    }
    for (const path of ['/etc/billing/app.conf', '/srv/www', '/opt/app', '/var/lib/billing', '/usr/local/billing/conf', '/data/x', '/app/config.yml', '/home/bob/app/conf.ini']) {
      expect(isDiscoverable(path), path).toBe(true)
    }
  })

  it('stops at its limit on a file full of paths', () => {
    const text = Array.from({length: 5000}, (_, i) => `/srv/p${i}`).join(' ')
    expect(namedInText(text, '/x', {paths: 10}).paths).toHaveLength(10)
  })
})

describe('discovery during a fetch', () => {
  it('pulls in a config the application names, one level deep, and never /etc/shadow', async () => {
    const root = hostTree({
      'opt/billing/app.py': 'import os\n\nCONF = "/etc/billing/app.conf"\nSHADOW = "/etc/shadow"\nMISSING = "/etc/billing/none.conf"\nOWN = "/opt/billing/lib"\n',
      'opt/billing/lib/util.py': 'x = 1\n',
      'etc/billing/app.conf': 'templates = /srv/billing/templates\npassword = hunter2\n',
      'srv/billing/templates/a.html': '<p>a</p>\n',
      'etc/shadow': 'root:$6$hash:19000::::::\n',
    })
    const {rootfs, sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/opt/billing', role: 'app'}], sink)
    expect(report.discovered).toEqual([{path: '/etc/billing/app.conf', type: 'file', namedIn: {file: '/opt/billing/app.py', line: 3}, copied: true}])
    expect(report.files.find((f) => f.path === '/etc/billing/app.conf')).toMatchObject({role: 'discovered', redactions: 1})
    const tree = listTree(rootfs)
    expect(tree['etc/billing/app.conf']?.content).toBe('templates = /srv/billing/templates\npassword = @@HOIST_SECRET:PASSWORD@@\n')
    expect(tree['etc/shadow']).toBeUndefined()
    // discoverDepth 1: what a discovered file names is not chased.
    expect(tree['srv/billing/templates/a.html']).toBeUndefined()
    const deeper = await fetchPaths(dirSource(root), [{path: '/opt/billing', role: 'app'}], newSink().sink, {discoverDepth: 2})
    expect(deeper.discovered.map((d) => [d.path, d.namedIn.file, d.copied])).toEqual([
      ['/etc/billing/app.conf', '/opt/billing/app.py', true],
      ['/srv/billing/templates', '/etc/billing/app.conf', true],
    ])
    const off = await fetchPaths(dirSource(root), [{path: '/opt/billing', role: 'app'}], newSink().sink, {discover: false})
    expect(off.discovered).toEqual([])
  })

  it('follows a link out of the named paths by fetching its target, then keeps the link', async () => {
    const root = hostTree({'opt/app/config': {link: '/etc/app'}, 'etc/app/app.ini': '[app]\n'})
    const {rootfs, sink} = newSink()
    const report = await fetchPaths(dirSource(root), [{path: '/opt/app', role: 'app'}], sink)
    expect(report.discovered).toEqual([{path: '/etc/app', type: 'dir', namedIn: {file: '/opt/app/config', line: 0}, copied: true}])
    expect(report.symlinks).toEqual([{path: '/opt/app/config', target: '/etc/app'}])
    expect(listTree(rootfs)['etc/app/app.ini']?.content).toBe('[app]\n')
  })

  it('copies nothing twice when a named folder holds a requested path', async () => {
    const root = hostTree({'etc/app/app.conf': 'include /etc/app\n', 'etc/app/other.conf': 'x=1\n'})
    const report = await fetchPaths(dirSource(root), [{path: '/etc/app/app.conf', role: 'config'}], newSink().sink)
    expect(report.files.map((f) => [f.path, f.role])).toEqual([
      ['/etc/app/app.conf', 'config'],
      ['/etc/app/other.conf', 'discovered'],
    ])
  })

  it('records a named folder already copied with another one', async () => {
    const root = hostTree({'opt/app/run.sh': 'cd /srv/site\ncat /srv/site/index.html\n', 'srv/site/index.html': 'hi\n'})
    const report = await fetchPaths(dirSource(root), [{path: '/opt/app', role: 'app'}], newSink().sink)
    expect(report.discovered).toEqual([
      {path: '/srv/site', type: 'dir', namedIn: {file: '/opt/app/run.sh', line: 1}, copied: true},
      {path: '/srv/site/index.html', type: 'file', namedIn: {file: '/opt/app/run.sh', line: 2}, copied: true, reason: 'inside /srv/site, copied with it'},
    ])
    expect(report.files.map((f) => f.path)).toEqual(['/opt/app/run.sh', '/srv/site/index.html'])
  })
})

describe('log and runtime folders named in files', () => {
  it('gives the folder of a named log file, and a named runtime folder itself', async () => {
    const text = "accesslog = '/var/log/flask-app/access.log'\nerrorlog = '/var/log/flask-app/error.log'\npidfile /run/app/app.pid\nsocket /run/uwsgi\nlog /var/log/"
    expect(namedInText(text, '').runtimeDirs).toEqual([{path: '/var/log/flask-app', line: 1}, {path: '/run/app', line: 3}, {path: '/run/uwsgi', line: 4}])
  })
})

describe('local ports named in files', () => {
  it('finds port settings and loopback host:port pairs, not comments', async () => {
    const text = "[database]\nhost = localhost\nport = 5432\n# port = 9999\nCACHE_URL=redis://127.0.0.1:6379/0\n\"port\": \"8080\""
    expect(namedInText(text, '').ports).toEqual([{port: 5432, line: 3}, {port: 6379, line: 5}, {port: 8080, line: 6}])
  })
})

import {writeFile, mkdtemp} from 'node:fs/promises'
import {execFileSync} from 'node:child_process'
import os from 'node:os'
import {join} from 'node:path'
import {connectSsh} from '../../../src/collect/transport/ssh.js'
import {makeKey, startSshd, freePort} from './sshd.js'
const dir = await mkdtemp(join(os.tmpdir(), 'scratch-'))
const k = await makeKey(dir, 'k')
const locked = await makeKey(dir, 'l', 'pw')
const s = await startSshd({authorizedKeys: [k.publicLine]})
const kh = join(dir, 'kh')
const t = (port: number, ids: string[]) => ({label: `root@127.0.0.1:${port}`, host: '127.0.0.1', port, user: 'root', identityFiles: ids, proxyJump: [], configHints: {}})
const show = (e: any) => console.log(`--- ${e.code}\n${e.message}\n  => ${e.suggestion}\n`)
await connectSsh(t(s.port, [k.file]), {knownHostsPath: kh, globalKnownHostsPaths: [], agentSocket: false}).catch(show)
const ok = await connectSsh(t(s.port, [k.file]), {knownHostsPath: kh, globalKnownHostsPaths: [], agentSocket: false, acceptNew: true})
console.log(ok.notes)
const r = await ok.exec('sleep 31.5', {timeoutMs: 300, maxBytes: 10})
await new Promise((res) => setTimeout(res, 500))
console.log('timed out', r, 'remaining sleep procs:', (() => { try { return execFileSync('pgrep', ['-f', 'sleep 31.5']).toString() } catch { return 'none' } })())
await ok.close()
const impostor = await makeKey(dir, 'imp')
await writeFile(kh, `[127.0.0.1]:${s.port} ${impostor.publicLine}\n`)
await connectSsh(t(s.port, [k.file]), {knownHostsPath: kh, globalKnownHostsPaths: [], agentSocket: false}).catch(show)
await writeFile(kh, `@revoked * ${s.hostKeyPubLines[0]}\n`)
await connectSsh(t(s.port, [k.file]), {knownHostsPath: kh, globalKnownHostsPaths: [], agentSocket: false}).catch(show)
await writeFile(kh, `[127.0.0.1]:${s.port} ${s.hostKeyPubLines[0]}\n@cert-authority * ${impostor.publicLine}\n`)
await connectSsh(t(s.port, [locked.file, '/nope']), {knownHostsPath: kh, globalKnownHostsPaths: [], agentSocket: false}).catch(show)
await connectSsh(t(s.port, []), {knownHostsPath: kh, globalKnownHostsPaths: [], agentSocket: false}).catch(show)
await connectSsh(t(await freePort(), []), {knownHostsPath: kh, globalKnownHostsPaths: [], agentSocket: false}).catch(show)
await connectSsh({...t(22, []), host: 'no-such-host.invalid', label: 'no-such-host.invalid'}, {knownHostsPath: kh, globalKnownHostsPaths: [], agentSocket: false}).catch(show)
await connectSsh({...t(22, []), host: '192.0.2.1', label: '192.0.2.1'}, {connectTimeoutMs: 1000, knownHostsPath: kh, globalKnownHostsPaths: [], agentSocket: false}).catch(show)
await writeFile(kh, `[127.0.0.1]:${s.port} ${impostor.publicLine.split(' ').slice(0,2).join(' ')}\n`)
await connectSsh(t(s.port, [k.file]), {knownHostsPath: kh, globalKnownHostsPaths: [], agentSocket: false}).catch(show)
await s.stop()

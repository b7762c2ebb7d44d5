import type {Blocker, Dependency, Workload} from '../types/inventory.js'
import type {HostIndex} from './host-index.js'
import {isLocalAddress} from './host-index.js'

type Partial = Omit<Workload, 'dependencies' | 'blockers'>

/**
 * Dependencies, from observed connections and from configuration (environment and command line):
 * to another workload's port on this host, or to a host:port outside.
 */
export function dependencies(w: Partial, all: Partial[], index: HostIndex): Dependency[] {
  const pids = new Set(w.processes.map((p) => p.pid))
  const out = new Map<string, Dependency>()
  for (const c of index.facts.connections) {
    if (c.pid === undefined || !pids.has(c.pid)) continue
    // The server side of a connection to one of our own ports is a client of ours, not a dependency.
    if (w.ports.some((p) => p.port === c.localPort)) continue
    const evidence = `connections[${c.localAddress}:${c.localPort} → ${c.peerAddress}:${c.peerPort}, pid ${c.pid}]`
    if (isLocalAddress(index, c.peerAddress)) {
      const other = all.find((o) => o !== w && o.ports.some((p) => p.port === c.peerPort))
      if (other) out.set(`w:${other.id}:${c.peerPort}`, {kind: 'workload', target: other.id, port: c.peerPort, evidence})
    } else {
      const target = `${c.peerAddress}:${c.peerPort}`
      out.set(`e:${target}`, {kind: 'external', target, port: c.peerPort, evidence})
    }
  }
  for (const ref of configuredEndpoints(w)) {
    if (isLocalAddress(index, ref.host)) {
      const other = all.find((o) => o !== w && o.ports.some((p) => p.port === ref.port))
      if (other && !out.has(`w:${other.id}:${ref.port}`)) out.set(`w:${other.id}:${ref.port}`, {kind: 'workload', target: other.id, port: ref.port, evidence: ref.evidence})
    } else if (!out.has(`e:${ref.host}:${ref.port}`)) {
      out.set(`e:${ref.host}:${ref.port}`, {kind: 'external', target: `${ref.host}:${ref.port}`, port: ref.port, evidence: ref.evidence})
    }
  }
  return [...out.values()]
}

const ENDPOINT = /(?:[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?)?\b((?:\d{1,3}\.){3}\d{1,3}|localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+):(\d{2,5})\b/gi

/** host:port and URLs named in the workload's own configuration: its environment and command line. */
function configuredEndpoints(w: Partial): {host: string; port: number; evidence: string}[] {
  const out: {host: string; port: number; evidence: string}[] = []
  const sources = [...Object.entries(w.environment).map(([k, v]) => [`environment ${k}`, v] as const), ...w.command.map((a, i) => [`command[${i}]`, a] as const)]
  for (const [where, text] of sources) {
    for (const m of text.matchAll(ENDPOINT)) {
      const port = Number(m[2])
      // A workload's own listening address (--bind 0.0.0.0:8000) is not a dependency.
      if (port > 65535 || w.ports.some((p) => p.port === port)) continue
      out.push({host: m[1]!.toLowerCase(), port, evidence: `${where}: ${m[0]}`})
    }
  }
  return out
}

const LARGE_DATA = 100 * 2 ** 30
const HUGE_DATA = 2 * 2 ** 40
const HARMLESS_DEVICES = /^\/dev\/(null|zero|u?random|full|tty|stdin|stdout|stderr|fd\/|shm\/|pts\/|log$)/

/** What stands in the way of lifting this workload as it is, each with the fact that shows it. */
export function workloadBlockers(w: Partial, index: HostIndex): Blocker[] {
  const out: Blocker[] = []
  const text = [...w.command, ...Object.entries(w.environment).map(([k, v]) => `${k}=${v}`)]
  const own = [...index.localAddresses].filter((a) => !/^(127\.|::1$|0\.0\.0\.0$|::$|localhost$)/.test(a))
  for (const address of own) {
    const hit = text.find((t) => t.includes(address))
    if (hit) out.push({code: 'host-ip', severity: 'warning', message: `the host's own address ${address} is written into the command or environment: it changes in a container`, evidence: hit})
  }
  const display = w.environment.DISPLAY ?? (w.processes.some((p) => /^(Xorg|Xvfb|X)$/.test(p.comm)) ? 'X server' : undefined)
  if (display) out.push({code: 'gui', severity: 'blocking', message: 'the application uses an X11 display', evidence: `DISPLAY=${display}`})
  const device = text.flatMap((t) => t.match(/\/dev\/[A-Za-z0-9/_-]+/g) ?? []).find((d) => !HARMLESS_DEVICES.test(d))
  if (device) out.push({code: 'device', severity: 'blocking', message: `the application names a device (${device}): it needs the device passed through`, evidence: device})
  const licence = text.find((t) => /licen[cs]e/i.test(t))
  if (licence) out.push({code: 'licence', severity: 'warning', message: 'a licence is configured: check it is not bound to this host (MAC address, host id)', evidence: licence})
  const data = w.dataPaths.reduce((sum, p) => sum + (p.sizeBytes ?? 0), 0)
  if (data >= LARGE_DATA) {
    out.push({code: 'large-data', severity: data >= HUGE_DATA ? 'blocking' : 'warning', message: `${(data / 2 ** 30).toFixed(0)} GiB of data to move at cut-over`, evidence: w.dataPaths.map((p) => p.path).join(', ')})
  }
  // Unsized is not empty: the scan's du ran out of time (--size-budget) before reaching these.
  const unsized = w.dataPaths.filter((p) => p.role !== 'application' && index.facts.dataPaths.some((d) => d.path === p.path && d.sizeBytes === undefined))
  if (unsized.length > 0) {
    out.push({code: 'data-unsized', severity: 'warning', message: `the size of ${unsized.map((p) => p.path).join(', ')} is unknown: measure it before fixing the cut-over (or rescan with a longer --size-budget)`, evidence: 'not sized within the scan\'s du time budget'})
  }
  if (w.user === 'root' && w.ports.length > 0 && w.ports.every((p) => p.port >= 1024) && w.kind !== 'system') {
    out.push({code: 'privileged', severity: 'warning', message: 'runs as root though it listens only on unprivileged ports: check whether it needs root before lifting it as root', evidence: `user root, ports ${w.ports.map((p) => p.port).join(', ')}`})
  }
  if (w.command.length === 0) out.push({code: 'unknown-command', severity: 'blocking', message: 'the command line could not be read', evidence: 'no argv'})
  return out
}

const UNUSUAL_MODULES = /^(nvidia|drbd|vbox|zfs|spl|dahdi|wanpipe|hfc|mlx5_ib|ib_|rdma|vfio|kvm)/

export function hostBlockers(index: HostIndex, endOfLife: string | undefined, today: string): Blocker[] {
  const f = index.facts
  const out: Blocker[] = []
  if (endOfLife && endOfLife <= today) {
    out.push({code: 'eol-os', severity: 'warning', message: `${f.os.prettyName || f.os.id} reached end of life on ${endOfLife}: lifting it as-is carries unpatched packages`, evidence: `os ${f.os.id} ${f.os.versionId}`})
  }
  const modules = f.kernelModules.filter((m) => UNUSUAL_MODULES.test(m))
  if (modules.length > 0) out.push({code: 'kernel-module', severity: 'warning', message: `kernel modules a container cannot bring: ${modules.join(', ')}`, evidence: 'kernelModules'})
  return out
}

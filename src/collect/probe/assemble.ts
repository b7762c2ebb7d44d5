import type {Connection, DataPathFact, DataPathReason, HostFacts, Listener, ProcessFact} from '../../types/facts.js'
import type {ParsedSections} from './sections.js'

type Frame = Pick<HostFacts, 'schemaVersion' | 'host' | 'collectedAt' | 'probe' | 'probeErrors' | 'transcript'>

/** Joins the parsed sections into HostFacts: users onto processes, pids onto sockets, data paths. */
export function assemble(p: ParsedSections, frame: Frame): HostFacts {
  const userByUid = new Map(p.users.users.map((u) => [u.uid, u.name]))
  const processes: ProcessFact[] = p.processes.map((proc) => {
    const env = p.environ.get(proc.pid)
    const user = proc.uid === undefined ? undefined : (userByUid.get(proc.uid) ?? String(proc.uid))
    return {...proc, ...(user === undefined ? {} : {user}), ...(env ? {env} : {})}
  })
  const owner = (inode: number) => p.fds.socketOwners.get(inode)
  const listeners: Listener[] = p.sockets.listeners.map((l) => withPid(l, owner(l.inode)))
  const connections: Connection[] = p.sockets.connections.map(({inode, ...c}) => withPid(c, owner(inode)))

  return {
    schemaVersion: frame.schemaVersion,
    host: frame.host,
    collectedAt: frame.collectedAt,
    probe: frame.probe,
    os: p.os,
    capacity: p.capacity,
    processes,
    listeners,
    connections,
    packages: p.packages,
    units: [...p.units, ...p.initscripts],
    cron: p.cron,
    mounts: p.mounts,
    dataPaths: dataPaths(p, processes),
    users: p.users.users,
    groups: p.users.groups,
    sysctl: p.sysctl,
    network: p.network,
    kernelModules: p.modules,
    utilisation: {
      intervalSeconds: intervalOf(p),
      samples: p.utilisation,
      history: p.sysstat.history,
      ...(p.sysstat.source ? {historySource: p.sysstat.source} : {}),
    },
    probeErrors: frame.probeErrors,
    transcript: frame.transcript,
  }
}

function withPid<T extends object>(value: T, pid: number | undefined): T & {pid?: number} {
  return pid === undefined ? value : {...value, pid}
}

/** Every sized directory, with why it is a candidate and which processes point at it. */
function dataPaths(p: ParsedSections, processes: ProcessFact[]): DataPathFact[] {
  const out: DataPathFact[] = []
  for (const [path, sizeBytes] of p.datapaths) {
    const reasons = new Set<DataPathReason>()
    const pids = new Set<number>()
    for (const [pid, files] of p.fds.files) {
      if (files.some((f) => f === path || f.startsWith(`${path}/`))) {
        reasons.add('open-file')
        pids.add(pid)
      }
    }
    for (const proc of processes) {
      if (proc.cwd === path) {
        reasons.add('working-directory')
        pids.add(proc.pid)
      }
    }
    if (reasons.size === 0) reasons.add('well-known')
    out.push({path, ...(sizeBytes === undefined ? {} : {sizeBytes}), reasons: [...reasons], pids: [...pids].sort((a, b) => a - b)})
  }
  return out.sort((a, b) => a.path.localeCompare(b.path))
}

function intervalOf(p: ParsedSections): number {
  const [a, b] = p.utilisation
  if (!a || !b) return 0
  return Math.round((Date.parse(b.at) - Date.parse(a.at)) / 1000)
}

import type {
  Capacity, CronEntry, GroupFact, HistoryPoint, MountFact, NetworkFacts, OsFacts, PackageFact, ProcessFact,
  SysctlSetting, UnitFact, UserFact, UtilisationSample,
} from '../../types/facts.js'
import type {ParseContext} from './parsers/context.js'
import {parseCapacity} from './parsers/capacity.js'
import {parseCron} from './parsers/cron.js'
import {parseDataPaths} from './parsers/datapaths.js'
import {parseEnviron} from './parsers/environ.js'
import {parseFds, type OpenFiles} from './parsers/fds.js'
import {parseInitScripts} from './parsers/initscripts.js'
import {parseMeta, type MetaSection} from './parsers/meta.js'
import {parseModules} from './parsers/modules.js'
import {parseMounts} from './parsers/mounts.js'
import {parseNetwork} from './parsers/network.js'
import {parseOs} from './parsers/os.js'
import {parsePackages} from './parsers/packages.js'
import {parseProcesses} from './parsers/processes.js'
import {parseSockets, type SocketTables} from './parsers/sockets.js'
import {parseSysctl} from './parsers/sysctl.js'
import {parseSysstat} from './parsers/sysstat.js'
import {parseUnits} from './parsers/units.js'
import {parseUsers} from './parsers/users.js'
import {parseUtilisation} from './parsers/utilisation.js'

/** What each probe section parses to. One entry per `run_section` in probe.sh (a test checks both ways). */
export interface ParsedSections {
  meta: MetaSection
  os: OsFacts
  capacity: Capacity
  processes: ProcessFact[]
  environ: Map<number, Record<string, string>>
  sockets: SocketTables
  fds: OpenFiles
  packages: PackageFact[]
  units: UnitFact[]
  initscripts: UnitFact[]
  cron: CronEntry[]
  users: {users: UserFact[]; groups: GroupFact[]}
  sysctl: SysctlSetting[]
  network: NetworkFacts
  modules: string[]
  mounts: MountFact[]
  datapaths: Map<string, number | undefined>
  sysstat: {history: HistoryPoint[]; source?: string}
  utilisation: UtilisationSample[]
}

export type SectionName = keyof ParsedSections

type Parser<K extends SectionName> = (lines: string[], ctx: ParseContext, done: ParsedSections) => ParsedSections[K]

/** The registry, in the order the sections are parsed: later parsers may read earlier results. */
export const SECTION_PARSERS: {[K in SectionName]: Parser<K>} = {
  meta: (lines, ctx) => parseMeta(lines, ctx),
  os: (lines, ctx) => parseOs(lines, ctx),
  capacity: (lines, ctx) => parseCapacity(lines, ctx),
  processes: (lines, ctx, done) => parseProcesses(lines, ctx, done.meta),
  environ: (lines, ctx) => parseEnviron(lines, ctx),
  sockets: (lines, ctx) => parseSockets(lines, ctx),
  fds: (lines, ctx) => parseFds(lines, ctx),
  packages: (lines, ctx) => parsePackages(lines, ctx),
  units: (lines, ctx) => parseUnits(lines, ctx),
  initscripts: (lines, ctx) => parseInitScripts(lines, ctx),
  users: (lines, ctx) => parseUsers(lines, ctx),
  cron: (lines, ctx, done) => parseCron(lines, ctx, done.users.users.find((u) => u.uid === done.meta.uid)?.name),
  sysctl: (lines, ctx) => parseSysctl(lines, ctx),
  network: (lines, ctx) => parseNetwork(lines, ctx),
  modules: (lines, ctx) => parseModules(lines, ctx),
  mounts: (lines, ctx) => parseMounts(lines, ctx),
  datapaths: (lines, ctx) => parseDataPaths(lines, ctx),
  sysstat: (lines, ctx) => parseSysstat(lines, ctx),
  utilisation: (lines, ctx, done) => parseUtilisation(lines, ctx, done.meta),
}

/** What a section stands for when it is missing or could not be parsed. */
export function emptySections(): ParsedSections {
  return {
    meta: {hostname: '', clockTicks: 100, pageSize: 4096, tools: []},
    os: {id: '', idLike: [], name: '', versionId: '', prettyName: '', kernel: '', arch: '', virtualization: 'unknown', init: 'unknown'},
    capacity: {cpus: 0, memoryBytes: 0, swapBytes: 0},
    processes: [],
    environ: new Map(),
    sockets: {listeners: [], connections: []},
    fds: {socketOwners: new Map(), files: new Map()},
    packages: [],
    units: [],
    initscripts: [],
    cron: [],
    users: {users: [], groups: []},
    sysctl: [],
    network: {addresses: [], nameservers: []},
    modules: [],
    mounts: [],
    datapaths: new Map(),
    sysstat: {history: []},
    utilisation: [],
  }
}

/**
 * Data disks: state lives on a mounted disk or is lost at reboot (LinuxKit's root is in memory).
 * One disk per data path, LinuxKit's persistence pattern (format, then mount, then bind).
 */
import {createHash} from 'node:crypto'
import type {Artifacts, GeneratedService} from '../../types/artifacts.js'
import {dataPaths, type DataPath} from '../runtime.js'
import {FORMAT, MOUNT} from './components.js'
import type {LinuxkitFile, LinuxkitImage} from './types.js'

export const DISK_ROOT = '/var/lib/hoist'
export const SECRETS_LABEL = 'hoist-secrets'
export const SECRETS_ROOT = `${DISK_ROOT}/secrets`
/** ext4 labels hold 16 bytes. */
const LABEL_MAX = 16

export interface DataDisk {
  label: string
  mountPoint: string
  /** What lives on it: a data path of the host (with the services using it), or the secrets. */
  data?: DataPath
}

export function diskLabel(volume: string): string {
  if (volume.length <= LABEL_MAX) return volume
  const hash = createHash('sha256').update(volume).digest('hex').slice(0, 4)
  return `${volume.slice(0, LABEL_MAX - 5).replace(/-+$/, '')}-${hash}`
}

/** The disks a host needs, in the order they must be attached; the secrets disk last. */
export function dataDisks(artifacts: Artifacts): DataDisk[] {
  const disks: DataDisk[] = dataPaths(runningServices(artifacts)).map((data) => ({label: diskLabel(data.name), mountPoint: `${DISK_ROOT}/${data.name}`, data}))
  if (runningServices(artifacts).some((s) => s.secrets.length > 0)) disks.push({label: SECRETS_LABEL, mountPoint: SECRETS_ROOT})
  return disks
}

/** Services LinuxKit keeps running; cron-driven ones have no scheduler to run them there. */
export function runningServices(artifacts: Artifacts): GeneratedService[] {
  return artifacts.services.filter((s) => s.schedule === undefined)
}

/**
 * `format` without a device formats the first disk that has no partition table, so each step takes
 * the next blank disk, and at the next boot (every disk partitioned) it finds none and changes
 * nothing: LinuxKit logs that and boots on. Naming a device would reformat it at every boot.
 */
export function diskSteps(disks: DataDisk[]): LinuxkitImage[] {
  return [
    ...disks.map((d) => ({name: `format-${d.label}`, image: FORMAT, command: ['/usr/bin/format', '-type', 'ext4', '-label', d.label]})),
    ...disks.map((d) => ({name: `mount-${d.label}`, image: MOUNT, command: ['/usr/bin/mountie', '-label', d.label, d.mountPoint]})),
  ]
}

export function diskDirectories(disks: DataDisk[]): LinuxkitFile[] {
  return disks.map((d) => ({path: d.mountPoint.replace(/^\//, ''), directory: true}))
}

/**
 * A fresh disk's root belongs to root: hand each data disk to its service's user, and make each
 * service's secrets folder (0700) on the secrets disk, so a non-root service can start on a new
 * disk. Only the top directories: data copied over by the migration keeps its owners.
 */
export function prepareStep(artifacts: Artifacts, disks: DataDisk[]): LinuxkitImage | undefined {
  const byName = new Map(artifacts.services.map((s) => [s.name, s]))
  const lines: string[] = []
  for (const d of disks) {
    // A path shared by several services goes to the first one's user, as it was named after it.
    const owner = d.data ? ownerOf(byName.get(d.data.services[0]!)) : undefined
    if (owner) lines.push(`chown ${owner} ${d.mountPoint}`)
  }
  for (const s of runningServices(artifacts).filter((x) => x.secrets.length > 0)) {
    const dir = `${SECRETS_ROOT}/${s.name}`
    const owner = ownerOf(s)
    lines.push(`mkdir -p ${dir}`, ...(owner ? [`chown ${owner} ${dir}`] : []), `chmod 0700 ${dir}`)
  }
  if (lines.length === 0) return undefined
  return {
    name: 'hoist-prepare',
    // The mount image is already pinned and carries busybox: no other image needed for a chown.
    image: MOUNT,
    command: ['/bin/sh', '-c', ['set -e', ...lines].join('\n')],
    capabilities: ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER'],
    binds: [`${DISK_ROOT}:${DISK_ROOT}:rshared,rbind`],
    net: 'none',
  }
}

/** uid:gid of a non-root service whose ids are known; root needs no handing over. */
function ownerOf(service: GeneratedService | undefined): string | undefined {
  const uid = service?.user.uid
  if (uid === undefined || uid === 0) return undefined
  return `${uid}:${service!.user.gid ?? uid}`
}

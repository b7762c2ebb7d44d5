import type {Workload} from '../types/inventory.js'
import type {BaseImagePolicy, Plan, Service} from '../types/plan.js'

/**
 * Base images by policy. same-os: the host's own distribution and release (lift-and-shift, the
 * host's package versions). official: the runtime's maintained upstream image. Tags are pinned;
 * end-of-life releases are kept, and flagged, never silently upgraded.
 */
const SAME_OS: Record<string, (version: string) => string> = {
  debian: (v) => `debian:${v.split('.')[0]}`,
  ubuntu: (v) => `ubuntu:${v}`,
  centos: (v) => `centos:${v.split('.')[0]}`,
  rocky: (v) => `rockylinux:${v.split('.')[0]}`,
  almalinux: (v) => `almalinux:${v.split('.')[0]}`,
  rhel: (v) => `registry.access.redhat.com/ubi${v.split('.')[0]}/ubi:${v}`,
  ol: (v) => `oraclelinux:${v.split('.')[0]}`,
  fedora: (v) => `fedora:${v}`,
  alpine: (v) => `alpine:${v.split('.').slice(0, 2).join('.')}`,
  opensuse: (v) => `opensuse/leap:${v}`,
  'opensuse-leap': (v) => `opensuse/leap:${v}`,
  sles: (v) => `registry.suse.com/suse/sle15:${v}`,
  amzn: (v) => `amazonlinux:${v}`,
}

export function sameOsImage(id: string, versionId: string): string | undefined {
  const make = SAME_OS[id]
  return make && versionId ? make(versionId) : undefined
}

/** Where no same-os image is known for the host's release (the plan asks the consultant to choose one). */
export const SAME_OS_FALLBACK = 'debian:12'

/** The host's own release as an image, or the fallback. */
export function sameOsBaseImage(os: Pick<Plan['os'], 'id' | 'versionId'>): string {
  return sameOsImage(os.id, os.versionId) ?? SAME_OS_FALLBACK
}

/**
 * The base image a policy gives a workload, and the packages that go with it: `official` is the
 * rule's upstream image where it names one (its own runtime: no host packages), anything else the
 * host's release with the host's packages. Without a workload (a plan edited by hand), no packages.
 */
export function baseImageFor(workload: Pick<Workload, 'hints' | 'packages'> | undefined, os: Pick<Plan['os'], 'id' | 'versionId'>, policy: BaseImagePolicy): Pick<Service, 'baseImage' | 'packages'> {
  const official = workload?.hints.officialImage
  if (policy === 'official' && official) return {baseImage: {policy, image: official}, packages: []}
  return {baseImage: {policy: 'same-os', image: sameOsBaseImage(os)}, packages: workload?.packages.map((p) => ({...p})) ?? []}
}

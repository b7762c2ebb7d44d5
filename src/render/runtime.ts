/**
 * What compose, LinuxKit and Kubernetes all derive the same way from a generated service: its
 * capabilities, its health check argv, who it runs as and how much memory it may use. One place,
 * so the three files never disagree about a service.
 */
import type {GeneratedService} from '../types/artifacts.js'

/** Ports below this need CAP_NET_BIND_SERVICE. */
export const PRIVILEGED_PORT_LIMIT = 1024

/**
 * Memory limit = request × this. The request is the plan's p95 × headroom; a limit equal to it would
 * OOM-kill the first spike above p95, so the limit is a guard against runaway growth, not a size.
 * CPU gets a request only: a CPU limit at an idle host's p95 throttles start-up (a JVM for minutes).
 */
export const MEMORY_LIMIT_FACTOR = 2

export function listensBelow1024(service: GeneratedService): boolean {
  return service.ports.some((p) => p.port < PRIVILEGED_PORT_LIMIT)
}

/**
 * The capabilities a service is granted, as CAP_ names, sorted. Never `all`; CAP_NET_BIND_SERVICE
 * exactly when it listens below 1024, whatever the artifacts say (a hand-edited plan can drift).
 */
export function capabilitiesFor(service: GeneratedService): string[] {
  const caps = new Set<string>()
  for (const raw of service.capabilities) {
    const name = raw.trim().toUpperCase()
    if (name === '' || name === 'ALL' || name === 'CAP_ALL') continue
    caps.add(name.startsWith('CAP_') ? name : `CAP_${name}`)
  }
  caps.delete('CAP_NET_BIND_SERVICE')
  if (listensBelow1024(service)) caps.add('CAP_NET_BIND_SERVICE')
  return [...caps].sort()
}

/** Kubernetes spells capabilities without the CAP_ prefix. */
export function withoutCapPrefix(cap: string): string {
  return cap.replace(/^CAP_/, '')
}

/**
 * The health check as an argv. The artifacts hold the Dockerfile's exec form; a test written in
 * compose style (CMD / CMD-SHELL) is accepted too, so an edited artifacts file still works.
 */
export function healthArgv(service: GeneratedService): string[] | undefined {
  const test = service.healthcheck?.test
  if (!test || test.length === 0 || test[0] === 'NONE') return undefined
  if (test[0] === 'CMD') return test.slice(1)
  if (test[0] === 'CMD-SHELL') return ['/bin/sh', '-c', test.slice(1).join(' ')]
  return test
}

export function isRootUser(service: GeneratedService): boolean {
  return service.user.uid === 0 || (service.user.uid === undefined && service.user.name === 'root')
}

/** `uid:gid` when the ids are known (they match the image's account), else the account name. */
export function runAs(service: GeneratedService): string {
  const {name, uid, gid} = service.user
  if (uid === undefined) return name
  return gid === undefined ? String(uid) : `${uid}:${gid}`
}

/** Whole MiB, rounded up: engines take integers and a fraction of a MiB is noise. */
export function memoryRequestMiB(service: GeneratedService): number {
  return Math.max(1, Math.ceil(service.resources.memoryMiB))
}

export function memoryLimitMiB(service: GeneratedService): number {
  return memoryRequestMiB(service) * MEMORY_LIMIT_FACTOR
}

/** Cron-driven services run to completion on a schedule; they are not kept running. */
export function isScheduled(service: GeneratedService): boolean {
  return service.schedule !== undefined
}

/** Dependencies that were generated too: a skipped service cannot be waited for. */
export function generatedDependencies(service: GeneratedService, all: GeneratedService[]): GeneratedService[] {
  const byName = new Map(all.map((s) => [s.name, s]))
  return [...new Set(service.dependsOn)].flatMap((name) => {
    const dep = byName.get(name)
    return dep && dep !== service ? [dep] : []
  })
}

/** A data path of the host, and every generated service that uses it. */
export interface DataPath {
  /** The volume (compose), disk (LinuxKit) or claim (Kubernetes) that holds it. */
  name: string
  path: string
  role: string
  sizeBytes?: number
  services: string[]
}

/**
 * One volume per host path: two services that used the same directory on the original (a web
 * server and its PHP-FPM both serving /var/www) keep sharing it, under the first one's volume name.
 */
export function dataPaths(services: GeneratedService[]): DataPath[] {
  const byPath = new Map<string, DataPath>()
  for (const service of services) {
    for (const v of service.volumes) {
      const known = byPath.get(v.path)
      if (known) {
        if (!known.services.includes(service.name)) known.services.push(service.name)
        if (v.sizeBytes !== undefined) known.sizeBytes = Math.max(known.sizeBytes ?? 0, v.sizeBytes)
        continue
      }
      byPath.set(v.path, {name: v.name, path: v.path, role: v.role, ...(v.sizeBytes === undefined ? {} : {sizeBytes: v.sizeBytes}), services: [service.name]})
    }
  }
  return [...byPath.values()]
}

/**
 * One generated service → its pod template: the container, its probes, its mounts and the tightest
 * security context the original's user allows.
 */
import type {GeneratedService} from '../../types/artifacts.js'
import type {Service} from '../../types/plan.js'
import {capabilitiesFor, healthArgv, isRootUser, memoryLimitMiB, memoryRequestMiB, withoutCapPrefix} from '../runtime.js'
import type {Container, PodSecurityContext, PodTemplate, Probe, Volume} from './types.js'

export const SECRETS_MOUNT = '/run/secrets'

/** A data path of this service: a claim of its own, or (no claim) one of its StatefulSet's claim templates. */
export interface Mount {
  volume: string
  path: string
  claim?: string
}

export interface PodInput {
  service: GeneratedService
  /** The plan's entry: its typed health check picks the native probe (tcpSocket, httpGet). */
  planned?: Service
  labels: Record<string, string>
  mounts: Mount[]
  /** Name of the ConfigMap holding the non-secret environment, when there is any. */
  configMap?: string
  /** Name of the Secret the consultant creates with the redacted values, when there are any. */
  secret?: string
  restartPolicy?: 'Always' | 'Never'
}

export function podTemplate(input: PodInput): PodTemplate {
  const {service} = input
  // A claim template's volume is added to the pod by the StatefulSet controller, under its name.
  const volumes: Volume[] = input.mounts.flatMap((m) => (m.claim ? [{name: m.volume, persistentVolumeClaim: {claimName: m.claim}}] : []))
  const mounts: NonNullable<Container['volumeMounts']> = input.mounts.map((m) => ({name: m.volume, mountPath: m.path}))
  if (input.secret) {
    // 0440 and the pod's fsGroup: the run-as user reads them, nobody else does.
    volumes.push({name: 'secrets', secret: {secretName: input.secret, defaultMode: 0o440}})
    mounts.push({name: 'secrets', mountPath: SECRETS_MOUNT, readOnly: true})
  }
  const add = capabilitiesFor(service).map(withoutCapPrefix)
  const probe = probeHandler(service, input.planned)
  const check = service.healthcheck
  const container: Container = {
    name: input.labels['app.kubernetes.io/name']!,
    image: service.image,
    ...(service.ports.length > 0 ? {ports: service.ports.map((p) => ({name: portName(p), containerPort: p.port, protocol: p.protocol === 'udp' ? 'UDP' as const : 'TCP' as const}))} : {}),
    ...(input.configMap ? {envFrom: [{configMapRef: {name: input.configMap}}]} : {}),
    ...(mounts.length > 0 ? {volumeMounts: mounts} : {}),
    resources: {
      requests: {cpu: `${Math.max(1, Math.round(service.resources.cpu * 1000))}m`, memory: `${memoryRequestMiB(service)}Mi`},
      limits: {memory: `${memoryLimitMiB(service)}Mi`},
    },
    ...(probe && check
      ? {
          livenessProbe: {...probe, initialDelaySeconds: check.startPeriodSeconds, periodSeconds: check.intervalSeconds, timeoutSeconds: check.timeoutSeconds, failureThreshold: check.retries},
          readinessProbe: {...probe, periodSeconds: check.intervalSeconds, timeoutSeconds: check.timeoutSeconds, failureThreshold: check.retries},
        }
      : {}),
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: ['ALL'], ...(add.length > 0 ? {add} : {})}},
  }
  return {
    metadata: {labels: input.labels},
    spec: {
      ...(input.restartPolicy ? {restartPolicy: input.restartPolicy} : {}),
      // A lifted application never talked to a Kubernetes API: no token to steal.
      automountServiceAccountToken: false,
      // Service links inject FOO_PORT=tcp://… variables that can collide with the application's own.
      enableServiceLinks: false,
      securityContext: podSecurity(service),
      containers: [container],
      ...(volumes.length > 0 ? {volumes} : {}),
    },
  }
}

/** Non-root where the original was, with its ids; root stays root (said, not hidden) where it was. */
function podSecurity(service: GeneratedService): PodSecurityContext {
  const {uid, gid} = service.user
  const seccompProfile = {type: 'RuntimeDefault' as const}
  // A name only: the image's USER decides, and runAsNonRoot could not be verified against it.
  if (uid === undefined) return {seccompProfile}
  if (isRootUser(service)) return {runAsUser: uid, runAsGroup: gid ?? uid, seccompProfile}
  return {runAsUser: uid, runAsGroup: gid ?? uid, runAsNonRoot: true, fsGroup: gid ?? uid, seccompProfile}
}

type Handler = Pick<Probe, 'exec' | 'httpGet' | 'tcpSocket'>

/**
 * The plan's typed check as Kubernetes' own probe (no shell or bash needed in the image); a command
 * check runs as exec. Note httpGet passes on 200–399, where the image's check accepts any answer
 * below 500: a page that answers 404 at the checked path needs its path changed in the plan.
 */
function probeHandler(service: GeneratedService, planned: Service | undefined): Handler | undefined {
  const typed = planned?.healthcheck
  if (typed?.type === 'tcp') return {tcpSocket: {port: typed.port}}
  if (typed?.type === 'http') return {httpGet: {path: typed.path, port: typed.port}}
  const argv = healthArgv(service)
  return argv ? {exec: {command: argv}} : undefined
}

export function portName(p: {port: number; protocol: 'tcp' | 'udp'}): string {
  return `${p.protocol}-${p.port}`
}

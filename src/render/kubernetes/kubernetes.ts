import {Document} from 'yaml'
import type {Artifacts, GeneratedService} from '../../types/artifacts.js'
import type {Plan} from '../../types/plan.js'
import {dataPaths, isScheduled, type DataPath} from '../runtime.js'
import {podTemplate, portName, type Mount} from './pod.js'
import type {ClaimSpec, ConfigMap, CronJob, Deployment, KubeObject, KubeService, PersistentVolumeClaim, StatefulSet} from './types.js'

/** Kinds that hold state of their own: a stable identity and storage that follows the pod. */
const STATEFUL_KINDS = new Set(['database', 'queue'])
/** Volume roles that are state (a cache's dump, a queue's store), not content a web server serves. */
const STATE_ROLES = new Set(['database', 'data', 'queue', 'state'])
/** A claim twice what the path held on the host, at least 1 GiB: room to grow until someone sizes it. */
const STORAGE_GROWTH_FACTOR = 2
const GIB = 1024 ** 3

export function isStateful(service: GeneratedService): boolean {
  return STATEFUL_KINDS.has(service.kind) || service.volumes.some((v) => STATE_ROLES.has(v.role))
}

/**
 * Artifacts → Kubernetes objects, per service: a ConfigMap for its environment, claims for its data
 * paths, a Service for its ports, and a Deployment, a StatefulSet (state-holding) or a CronJob.
 */
export function renderKubernetes(artifacts: Artifacts, plan: Plan): KubeObject[] {
  const paths = dataPaths(artifacts.services)
  const objects: KubeObject[] = []
  for (const path of paths.filter((p) => !ownedByStatefulSet(p, artifacts))) objects.push(claim(path, artifacts.host))
  for (const service of artifacts.services) {
    const name = kubeName(service.name)
    const labels = {'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': labelValue(artifacts.host), 'app.kubernetes.io/managed-by': 'hoist'}
    const meta = {name, labels}
    const configMap = Object.keys(service.environment).length > 0 ? `${name}-env` : undefined
    if (configMap) objects.push({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: configMap, labels}, data: {...service.environment}} satisfies ConfigMap)
    const stateful = isStateful(service)
    const mounts: Mount[] = service.volumes.map((v) => {
      const path = paths.find((p) => p.path === v.path)!
      const volume = kubeName(path.name)
      return ownedByStatefulSet(path, artifacts) ? {volume, path: v.path} : {volume, path: v.path, claim: volume}
    })
    const pod = {
      service,
      planned: plan.services.find((s) => s.name === service.name),
      labels,
      mounts,
      ...(configMap ? {configMap} : {}),
      // Created by the consultant (see the header): its values were redacted on the host.
      ...(service.secrets.length > 0 ? {secret: `${name}-secrets`} : {}),
    }
    if (isScheduled(service)) {
      objects.push(cronJob(meta, service, podTemplate({...pod, restartPolicy: 'Never'})))
      continue
    }
    if (service.ports.length > 0) objects.push(kubeService(meta, service, stateful))
    const selector = {matchLabels: {'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': labels['app.kubernetes.io/part-of']}}
    if (stateful) {
      const claims = mounts.filter((m) => !m.claim).map((m) => ({metadata: {name: m.volume, labels}, spec: claimSpec(paths.find((p) => p.path === m.path)!)}))
      objects.push({apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta, spec: {replicas: 1, serviceName: name, selector, template: podTemplate(pod), ...(claims.length > 0 ? {volumeClaimTemplates: claims} : {})}} satisfies StatefulSet)
    } else {
      objects.push({apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: {replicas: 1, selector, strategy: {type: mounts.length > 0 ? 'Recreate' : 'RollingUpdate'}, template: podTemplate(pod)}} satisfies Deployment)
    }
  }
  return objects
}

/** A path only one stateful service uses gets a claim template: its storage follows the pod. */
function ownedByStatefulSet(path: DataPath, artifacts: Artifacts): boolean {
  if (path.services.length !== 1) return false
  const service = artifacts.services.find((s) => s.name === path.services[0])
  return service !== undefined && !isScheduled(service) && isStateful(service)
}

function claim(path: DataPath, host: string): PersistentVolumeClaim {
  const labels = {'app.kubernetes.io/part-of': labelValue(host), 'app.kubernetes.io/managed-by': 'hoist'}
  return {apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {name: kubeName(path.name), labels, annotations: {'hoist.dev/path': path.path, 'hoist.dev/services': path.services.join(',')}}, spec: claimSpec(path)}
}

/** A path several services share must be mountable from several nodes at once: ReadWriteMany. */
function claimSpec(path: DataPath): ClaimSpec {
  const gib = Math.max(1, Math.ceil(((path.sizeBytes ?? 0) * STORAGE_GROWTH_FACTOR) / GIB))
  return {accessModes: [path.services.length > 1 ? 'ReadWriteMany' : 'ReadWriteOnce'], resources: {requests: {storage: `${gib}Gi`}}}
}

function kubeService(meta: {name: string; labels: Record<string, string>}, service: GeneratedService, headless: boolean): KubeService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta,
    spec: {
      selector: {'app.kubernetes.io/name': meta.name, 'app.kubernetes.io/part-of': meta.labels['app.kubernetes.io/part-of']!},
      ports: service.ports.map((p) => ({name: portName(p), port: p.port, targetPort: p.port, protocol: p.protocol === 'udp' ? 'UDP' : 'TCP'})),
      ...(headless ? {clusterIP: 'None' as const} : {}),
    },
  }
}

/**
 * Cron ran the job once at each time, never retried a failure and did not stop a run that was
 * still going when the next began: no retries (backoffLimit 0, restartPolicy Never), overlaps allowed.
 * The schedule was in the host's local time, which the facts do not carry: see the header.
 */
function cronJob(meta: {name: string; labels: Record<string, string>}, service: GeneratedService, template: CronJob['spec']['jobTemplate']['spec']['template']): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {...meta, annotations: {'hoist.dev/schedule-timezone': 'the original host\'s local time (not recorded): set spec.timeZone'}},
    spec: {schedule: service.schedule!, concurrencyPolicy: 'Allow', jobTemplate: {spec: {backoffLimit: 0, template}}},
  }
}

/** RFC 1035 label (what a Service name must be): lowercase letters, digits, dashes, a letter first, 63 at most. */
export function kubeName(name: string): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '')
  const named = /^[a-z]/.test(clean) ? clean : `s-${clean}`
  return named.slice(0, 63).replace(/-+$/, '')
}

/** A label value: letters, digits, '-', '_' and '.', alphanumeric at both ends, 63 at most. */
export function labelValue(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
}

/** Multi-document YAML, with a header saying what to create before `kubectl apply`. */
export function serialiseKubernetes(objects: KubeObject[], artifacts: Artifacts): string {
  const docs = objects.map((o) => new Document(o, {version: '1.1', aliasDuplicateObjects: false}))
  if (docs[0]) docs[0].commentBefore = kubernetesHeader(objects, artifacts)
  return docs.map((d) => d.toString({lineWidth: 0})).join('---\n')
}

function kubernetesHeader(objects: KubeObject[], artifacts: Artifacts): string {
  const lines = [
    ` Hoist: Kubernetes manifests for host ${artifacts.host} (apps/v1, batch/v1, v1; checked against Kubernetes 1.33).`,
    ' Push the images named here to a registry the cluster pulls from (and rename them to it) before applying.',
  ]
  for (const s of artifacts.services.filter((x) => x.secrets.length > 0)) {
    const literals = [...new Set(s.secrets.map((x) => x.name))].map((n) => `--from-file=${n}=./${n}`).join(' ')
    lines.push(` Create first: kubectl create secret generic ${kubeName(s.name)}-secrets ${literals}`)
  }
  if (objects.some((o) => o.kind === 'CronJob')) lines.push(' CronJob schedules were in the original host\'s local time: set spec.timeZone (Kubernetes runs them in UTC otherwise).')
  for (const s of artifacts.skipped) lines.push(` Not generated: ${s.service} (${s.reason})`)
  return lines.join('\n')
}

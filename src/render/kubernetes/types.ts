/**
 * The part of the Kubernetes API (apps/v1, batch/v1, v1) Hoist writes, typed so an unknown or
 * misspelt field does not compile. Field names and shapes are Kubernetes'; tests check every
 * object against the OpenAPI schemas of Kubernetes 1.33 (the kubernetes-models package).
 */
export type KubeObject = Deployment | StatefulSet | CronJob | KubeService | PersistentVolumeClaim | ConfigMap

export interface ObjectMeta {
  name: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
}

export interface Deployment {
  apiVersion: 'apps/v1'
  kind: 'Deployment'
  metadata: ObjectMeta
  spec: {
    replicas: number
    selector: {matchLabels: Record<string, string>}
    /** Recreate when it mounts a claim: a second pod could not attach a ReadWriteOnce volume. */
    strategy: {type: 'Recreate' | 'RollingUpdate'}
    template: PodTemplate
  }
}

export interface StatefulSet {
  apiVersion: 'apps/v1'
  kind: 'StatefulSet'
  metadata: ObjectMeta
  spec: {
    replicas: number
    serviceName: string
    selector: {matchLabels: Record<string, string>}
    template: PodTemplate
    volumeClaimTemplates?: {metadata: ObjectMeta; spec: ClaimSpec}[]
  }
}

export interface CronJob {
  apiVersion: 'batch/v1'
  kind: 'CronJob'
  metadata: ObjectMeta
  spec: {
    schedule: string
    concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace'
    jobTemplate: {spec: {backoffLimit: number; template: PodTemplate}}
  }
}

export interface KubeService {
  apiVersion: 'v1'
  kind: 'Service'
  metadata: ObjectMeta
  spec: {
    selector: Record<string, string>
    ports: {name: string; port: number; targetPort: number; protocol: 'TCP' | 'UDP'}[]
    /** 'None': the headless service that gives a StatefulSet's pod its stable name. */
    clusterIP?: 'None'
  }
}

export interface PersistentVolumeClaim {
  apiVersion: 'v1'
  kind: 'PersistentVolumeClaim'
  metadata: ObjectMeta
  spec: ClaimSpec
}

export interface ClaimSpec {
  accessModes: ('ReadWriteOnce' | 'ReadWriteMany')[]
  resources: {requests: {storage: string}}
}

export interface ConfigMap {
  apiVersion: 'v1'
  kind: 'ConfigMap'
  metadata: ObjectMeta
  data: Record<string, string>
}

export interface PodTemplate {
  metadata: {labels: Record<string, string>}
  spec: PodSpec
}

export interface PodSpec {
  restartPolicy?: 'Always' | 'OnFailure' | 'Never'
  automountServiceAccountToken: boolean
  enableServiceLinks: boolean
  securityContext: PodSecurityContext
  containers: Container[]
  volumes?: Volume[]
}

export interface PodSecurityContext {
  runAsUser?: number
  runAsGroup?: number
  runAsNonRoot?: boolean
  fsGroup?: number
  seccompProfile: {type: 'RuntimeDefault'}
}

export interface Container {
  name: string
  image: string
  ports?: {name: string; containerPort: number; protocol: 'TCP' | 'UDP'}[]
  envFrom?: {configMapRef: {name: string}}[]
  volumeMounts?: {name: string; mountPath: string; readOnly?: boolean}[]
  resources: {requests: {cpu: string; memory: string}; limits: {memory: string}}
  livenessProbe?: Probe
  readinessProbe?: Probe
  securityContext: {
    allowPrivilegeEscalation: false
    capabilities: {drop: ['ALL']; add?: string[]}
  }
}

export interface Probe {
  exec?: {command: string[]}
  httpGet?: {path: string; port: number}
  tcpSocket?: {port: number}
  initialDelaySeconds?: number
  periodSeconds: number
  timeoutSeconds: number
  failureThreshold: number
}

export interface Volume {
  name: string
  persistentVolumeClaim?: {claimName: string}
  secret?: {secretName: string; defaultMode: number}
}

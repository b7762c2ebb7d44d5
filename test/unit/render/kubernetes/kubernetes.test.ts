import {Deployment, StatefulSet} from 'kubernetes-models/apps/v1'
import {CronJob} from 'kubernetes-models/batch/v1'
import {ConfigMap, PersistentVolumeClaim, Service} from 'kubernetes-models/v1'
import {describe, expect, it} from 'vitest'
import {parseAllDocuments} from 'yaml'
import {kubeName, labelValue, renderKubernetes, serialiseKubernetes} from '../../../../src/render/kubernetes/kubernetes.js'
import type {KubeObject} from '../../../../src/render/kubernetes/types.js'
import {expectGolden, fixture, FIXTURE_HOSTS, makeArtifacts, makePlan, makeService} from '../fixture-artifacts.js'

/**
 * Each object as the kubernetes-models class of its kind: constructing it checks Hoist's types
 * against Kubernetes' at compile time; validate() checks the value against the OpenAPI schema of
 * Kubernetes 1.33 and throws on the first problem.
 */
function validate(o: KubeObject): void {
  switch (o.kind) {
    case 'Deployment': return new Deployment(o).validate()
    case 'StatefulSet': return new StatefulSet(o).validate()
    case 'CronJob': return new CronJob(o).validate()
    case 'Service': return new Service(o).validate()
    case 'PersistentVolumeClaim': return new PersistentVolumeClaim(o).validate()
    case 'ConfigMap': return new ConfigMap(o).validate()
  }
}

function byKind<K extends KubeObject['kind']>(objects: KubeObject[], kind: K, name: string): Extract<KubeObject, {kind: K}> {
  return objects.find((o) => o.kind === kind && o.metadata.name === name) as Extract<KubeObject, {kind: K}>
}

const check = {test: ['pg_isready', '-q'], intervalSeconds: 10, timeoutSeconds: 3, retries: 5, startPeriodSeconds: 20}

describe('Kubernetes manifests', () => {
  it.each(FIXTURE_HOSTS)('%s: match their golden file and the Kubernetes 1.33 schemas', (host) => {
    const {plan, artifacts} = fixture(host)
    const objects = renderKubernetes(artifacts, plan)
    const text = serialiseKubernetes(objects, artifacts)
    expectGolden(host, 'kubernetes.yaml', text)
    // Validate what kubectl would read back from the text.
    const read = parseAllDocuments(text).map((d) => d.toJS() as KubeObject)
    expect(read).toEqual(objects)
    for (const o of read) expect(() => validate(o), `${o.kind}/${o.metadata.name}`).not.toThrow()
  })

  it('the schemas are live: a wrong type is refused', () => {
    const [deployment] = renderKubernetes(makeArtifacts([makeService('app')]), makePlan())
    const broken = {...deployment, spec: {...(deployment as {spec: object}).spec, replicas: 'one'}} as unknown as KubeObject
    expect(() => validate(broken)).toThrow(/replicas/)
  })

  it('runs a database as a StatefulSet with a claim template, a web server as a Deployment with a claim', () => {
    const objects = renderKubernetes(makeArtifacts([
      makeService('db', {kind: 'database', volumes: [{name: 'db-var-lib-postgresql', path: '/var/lib/postgresql', role: 'database', sizeBytes: 3 * 1024 ** 3}], ports: [{port: 5432, protocol: 'tcp'}], healthcheck: check}),
      makeService('web', {kind: 'webserver', volumes: [{name: 'web-var-www', path: '/var/www', role: 'content'}], ports: [{port: 80, protocol: 'tcp'}]}),
    ]), makePlan())
    const db = byKind(objects, 'StatefulSet', 'db')
    expect(db.spec.volumeClaimTemplates).toEqual([{metadata: expect.objectContaining({name: 'db-var-lib-postgresql'}), spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '6Gi'}}}}])
    expect(byKind(objects, 'Service', 'db').spec.clusterIP).toBe('None')
    expect(db.spec.template.spec.containers[0]!.livenessProbe).toEqual({exec: {command: ['pg_isready', '-q']}, initialDelaySeconds: 20, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 5})
    const web = byKind(objects, 'Deployment', 'web')
    expect(web.spec.strategy).toEqual({type: 'Recreate'})
    expect(web.spec.template.spec.volumes).toEqual([{name: 'web-var-www', persistentVolumeClaim: {claimName: 'web-var-www'}}])
    expect(byKind(objects, 'PersistentVolumeClaim', 'web-var-www').spec.resources.requests.storage).toBe('1Gi')
  })

  it('uses the plan\'s typed checks as tcpSocket and httpGet probes', () => {
    const plan = makePlan()
    plan.services.push(
      {...planned('api'), healthcheck: {type: 'tcp', port: 8080}},
      {...planned('web'), healthcheck: {type: 'http', port: 80, path: '/health'}},
    )
    const objects = renderKubernetes(makeArtifacts([makeService('api', {healthcheck: check}), makeService('web', {healthcheck: check})]), plan)
    expect(byKind(objects, 'Deployment', 'api').spec.template.spec.containers[0]!.readinessProbe).toMatchObject({tcpSocket: {port: 8080}})
    expect(byKind(objects, 'Deployment', 'web').spec.template.spec.containers[0]!.readinessProbe).toMatchObject({httpGet: {path: '/health', port: 80}})
  })

  it('runs non-root with all capabilities dropped; NET_BIND_SERVICE only for a port below 1024', () => {
    const objects = renderKubernetes(makeArtifacts([
      makeService('web', {ports: [{port: 80, protocol: 'tcp'}]}),
      makeService('api', {ports: [{port: 8080, protocol: 'tcp'}], capabilities: ['CAP_NET_BIND_SERVICE']}),
      makeService('legacy', {user: {name: 'root', uid: 0, gid: 0}}),
    ]), makePlan())
    const pod = (name: string) => byKind(objects, 'Deployment', name).spec.template.spec
    expect(pod('web').securityContext).toEqual({runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, fsGroup: 1000, seccompProfile: {type: 'RuntimeDefault'}})
    expect(pod('web').containers[0]!.securityContext).toEqual({allowPrivilegeEscalation: false, capabilities: {drop: ['ALL'], add: ['NET_BIND_SERVICE']}})
    expect(pod('api').containers[0]!.securityContext.capabilities).toEqual({drop: ['ALL']})
    expect(pod('legacy').securityContext).toEqual({runAsUser: 0, runAsGroup: 0, seccompProfile: {type: 'RuntimeDefault'}})
  })

  it('references redacted values from a Secret mounted at /run/secrets, and environment from a ConfigMap', () => {
    const artifacts = makeArtifacts([makeService('app', {secrets: [{name: 'DB_PASSWORD', source: 'env'}], environment: {MODE: 'batch'}})])
    const objects = renderKubernetes(artifacts, makePlan())
    const pod = byKind(objects, 'Deployment', 'app').spec.template.spec
    expect(pod.volumes).toEqual([{name: 'secrets', secret: {secretName: 'app-secrets', defaultMode: 0o440}}])
    expect(pod.containers[0]!.volumeMounts).toEqual([{name: 'secrets', mountPath: '/run/secrets', readOnly: true}])
    expect(pod.containers[0]!.envFrom).toEqual([{configMapRef: {name: 'app-env'}}])
    expect(byKind(objects, 'ConfigMap', 'app-env').data).toEqual({MODE: 'batch'})
    expect(objects.map((o) => o.kind)).not.toContain('Secret')
    expect(serialiseKubernetes(objects, artifacts)).toContain('kubectl create secret generic app-secrets --from-file=DB_PASSWORD=./DB_PASSWORD')
  })

  it('runs a cron-driven service as a CronJob that, like cron, never retries', () => {
    const objects = renderKubernetes(makeArtifacts([makeService('nightly', {schedule: '15 1 * * *'})]), makePlan())
    expect(objects.map((o) => o.kind)).toEqual(['CronJob'])
    const job = byKind(objects, 'CronJob', 'nightly')
    expect(job.spec).toMatchObject({schedule: '15 1 * * *', jobTemplate: {spec: {backoffLimit: 0, template: {spec: {restartPolicy: 'Never'}}}}})
  })

  it('names objects as Kubernetes allows', () => {
    expect(kubeName('php_fpm.8')).toBe('php-fpm-8')
    expect(kubeName('1app')).toBe('s-1app')
    expect(labelValue('10.210.62.2')).toBe('10.210.62.2')
    expect(labelValue('-web host-')).toBe('web-host')
  })
})

function planned(name: string) {
  return {
    name, workload: name, rule: 'test/x', kind: 'runtime', include: true, baseImage: {policy: 'same-os' as const, image: 'debian:12'},
    packages: [], files: [], volumes: [], ports: [], user: 'app', command: [], environment: {}, secrets: [], capabilities: [], dependsOn: [],
    resources: {cpu: 0.1, memoryMiB: 64, basis: 'test'},
  }
}

import {arr, bool, map, nonNegative, num, obj, oneOf, port, str, type Schema} from './schema-builders.js'

const healthcheck: Schema = {
  oneOf: [
    obj({type: {const: 'http'}, port, path: str}),
    obj({type: {const: 'tcp'}, port}),
    obj({type: {const: 'command'}, command: {...arr(str), minItems: 1}}),
  ],
}

const service = obj(
  {
    name: {type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]*$'},
    workload: str,
    rule: str,
    kind: str,
    include: bool,
    baseImage: obj({policy: oneOf('same-os', 'official'), image: {type: 'string', pattern: '^[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?$'}}),
    packages: arr(obj({name: str, version: str})),
    files: arr(obj({path: {type: 'string', pattern: '^/'}, role: str})),
    volumes: arr(obj({path: {type: 'string', pattern: '^/'}, role: str}, {sizeBytes: nonNegative})),
    ports: arr(obj({port, protocol: oneOf('tcp', 'udp')})),
    user: {type: 'string', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]*$'},
    command: arr(str),
    environment: map(str),
    secrets: arr(str),
    capabilities: arr({type: 'string', pattern: '^CAP_[A-Z_]+$'}),
    dependsOn: arr(str),
    resources: obj({cpu: {...num, minimum: 0}, memoryMiB: {...num, minimum: 0}, basis: str}),
  },
  {workingDir: {type: 'string', pattern: '^/'}, healthcheck, schedule: str, template: str},
)

export const planSchema: Schema = {
  $id: 'https://hoist.dev/schemas/plan.json',
  title: 'Plan',
  ...obj({
    schemaVersion: {const: 1},
    host: str,
    os: obj({id: str, versionId: str}, {endOfLife: str}),
    services: arr(service),
    excluded: arr(obj({name: str, rule: str, reason: str})),
    unresolved: arr(obj({service: str, question: str})),
    decisions: arr(obj({service: str, field: str, decision: str, because: str})),
  }),
}

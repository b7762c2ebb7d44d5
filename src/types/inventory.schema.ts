import {arr, bool, dateTime, map, nonNegative, num, obj, oneOf, port, str, type Schema} from './schema-builders.js'

const pathRef = obj({path: str, seen: bool}, {role: str, sizeBytes: nonNegative})
const blocker = obj({
  code: oneOf('eol-os', 'kernel-module', 'device', 'privileged', 'host-ip', 'gui', 'licence', 'local-ipc', 'large-data', 'data-unsized', 'unknown-command'),
  message: str,
  evidence: str,
  severity: oneOf('warning', 'blocking'),
})
const kind = oneOf('webserver', 'appserver', 'runtime', 'database', 'cache', 'queue', 'search', 'proxy', 'batch', 'generic', 'system')

const workload = obj(
  {
    id: str, rule: str, kind, name: str,
    processes: arr(obj({pid: nonNegative, comm: str, argv: arr(str)})),
    ports: arr(obj({protocol: oneOf('tcp', 'udp'), port, address: str})),
    configPaths: arr(pathRef), dataPaths: arr(pathRef), logPaths: arr(pathRef),
    command: arr(str), environment: map(str), secrets: arr(str),
    dependencies: arr(obj({kind: oneOf('workload', 'external'), target: str, port, evidence: str})),
    packages: arr(obj({name: str, version: str})),
    confidence: {...num, minimum: 0, maximum: 1},
    evidence: arr(obj({field: str, fact: str, value: str})),
    blockers: arr(blocker),
    hints: obj({}, {
      healthcheck: obj({}, {http: str, tcp: bool, command: arr(str)}),
      officialImage: str,
      template: str,
    }),
  },
  {
    version: str, runtime: obj({name: str}, {version: str}),
    schedule: obj({schedule: str, source: str, command: str}),
    unit: str, user: str, workingDirectory: str,
  },
)

export const inventorySchema: Schema = {
  $id: 'https://hoist.dev/schemas/inventory.json',
  title: 'Inventory',
  ...obj({
    schemaVersion: {const: 1},
    host: str,
    os: obj({id: str, versionId: str, prettyName: str}, {endOfLife: str}),
    detectedAt: dateTime,
    rules: obj({count: nonNegative, sha256: str}),
    workloads: arr(workload),
    system: arr(obj({rule: str, name: str, pids: arr(nonNegative), reason: str})),
    unclaimed: obj({
      processes: arr(obj({pid: nonNegative, comm: str, argv: arr(str)}, {user: str})),
      ports: arr(obj({protocol: str, address: str, port}, {pid: nonNegative})),
    }),
    blockers: arr(blocker),
  }),
}

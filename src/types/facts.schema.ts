import {arr, bool, dateTime, int, map, nonNegative, num, obj, oneOf, port, str, type Schema} from './schema-builders.js'

const protocol = oneOf('tcp', 'tcp6', 'udp', 'udp6')

const processFact = obj(
  {pid: nonNegative, ppid: nonNegative, comm: str, argv: arr(str), rssBytes: nonNegative, cpuSeconds: num},
  {uid: nonNegative, user: str, exe: str, cwd: str, env: map(str), startedAt: dateTime, threads: nonNegative, unit: str, cgroup: str},
)

const unitFact = obj(
  {name: str, kind: oneOf('systemd', 'sysv', 'openrc'), environmentFiles: arr(str), environment: map(str)},
  {path: str, description: str, execStart: str, user: str, group: str, workingDirectory: str, enabled: bool, active: str},
)

export const hostFactsSchema: Schema = {
  $id: 'https://hoist.dev/schemas/facts.json',
  title: 'HostFacts',
  ...obj({
    schemaVersion: {const: 1},
    host: obj(
      {name: str, hostname: str, transport: oneOf('ssh', 'local', 'snapshot'), sudo: bool},
      {target: str, address: str, port, user: str, probeUid: nonNegative},
    ),
    collectedAt: dateTime,
    probe: obj({version: int, sha256: str, durationMs: nonNegative, bytes: nonNegative, complete: bool}),
    os: obj(
      {id: str, idLike: arr(str), name: str, versionId: str, prettyName: str, kernel: str, arch: str, virtualization: str,
        init: oneOf('systemd', 'sysvinit', 'openrc', 'busybox', 'upstart', 'unknown')},
      {codename: str},
    ),
    capacity: obj({cpus: nonNegative, memoryBytes: nonNegative, swapBytes: nonNegative}, {cpuModel: str}),
    processes: arr(processFact),
    listeners: arr(obj({protocol, address: str, port, inode: nonNegative}, {pid: nonNegative})),
    connections: arr(obj({protocol, localAddress: str, localPort: port, peerAddress: str, peerPort: port}, {pid: nonNegative})),
    packages: arr(obj({manager: oneOf('dpkg', 'rpm', 'apk'), name: str, version: str}, {arch: str})),
    units: arr(unitFact),
    cron: arr(obj({kind: oneOf('cron', 'systemd-timer', 'periodic'), source: str, schedule: str, command: str}, {user: str})),
    mounts: arr(obj({device: str, mountPoint: str, fsType: str, options: arr(str)}, {sizeBytes: nonNegative, usedBytes: nonNegative, availBytes: nonNegative})),
    dataPaths: arr(obj({path: str, reasons: arr(oneOf('open-file', 'working-directory', 'well-known')), pids: arr(nonNegative)}, {sizeBytes: nonNegative})),
    users: arr(obj({name: str, uid: nonNegative, gid: nonNegative, home: str, shell: str})),
    groups: arr(obj({name: str, gid: nonNegative, members: arr(str)})),
    sysctl: arr(obj({key: str, value: str, source: str})),
    network: obj(
      {addresses: arr(obj({interface: str, family: oneOf('inet', 'inet6'), cidr: str})), nameservers: arr(str)},
      {defaultGateway: str},
    ),
    kernelModules: arr(str),
    utilisation: obj(
      {
        intervalSeconds: nonNegative,
        samples: arr(obj(
          {at: dateTime, memoryUsedBytes: nonNegative, processes: arr(obj({pid: nonNegative, rssBytes: nonNegative}, {cpuPercent: num}))},
          {cpuBusyPercent: num, loadAverage: num},
        )),
        history: arr(obj({at: dateTime}, {cpuBusyPercent: num, memoryUsedPercent: num})),
      },
      {historySource: str},
    ),
    probeErrors: arr(obj({section: str, message: str}, {excerpt: str})),
    transcript: arr(obj({section: str, commands: arr(str), exitCode: {type: ['integer', 'null']}, bytes: nonNegative, truncated: bool}, {seconds: num})),
  }),
}

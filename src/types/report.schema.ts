import {arr, bool, dateTime, map, nonNegative, nonNegativeNumber, num, obj, oneOf, port, str, type Schema} from './schema-builders.js'

/** report.json, strict: what we write is checked before it is written (src/types/report.ts). */
const confidence = oneOf('high', 'medium', 'low', 'none')

const figure = obj({
  value: {type: ['number', 'null']},
  unit: str,
  basis: str,
  inputs: map({anyOf: [num, str, {type: 'null'}]}),
  confidence,
})
const money = obj({monthly: figure, yearly: figure})
const usage = obj({allocated: figure, used: figure})
const effortLine = obj({factor: str, days: num, why: str})
const scopeItem = obj({name: str, why: str})
const credit = obj({id: oneOf('idle', 'page-cache', 'kernel', 'agents', 'other-processes', 'headroom'), label: str, figure})
const unknownOr = (schema: Schema): Schema => ({oneOf: [schema, {const: 'unknown'}]})

const surfaceFigures = obj({
  packages: obj({count: unknownOr(nonNegative), detail: arr(obj({where: str, count: unknownOr(nonNegative)}))}),
  listeningPorts: arr(obj({protocol: oneOf('tcp', 'udp'), port, owner: str, exposed: bool})),
  rootProcesses: arr(str),
  setuidBinaries: unknownOr(nonNegative),
  openServices: arr(str),
})

const application = obj({
  name: str,
  workload: str,
  kind: str,
  rule: str,
  inScope: bool,
  why: str,
  evidence: arr(str),
  used: obj({cpu: figure, memory: figure}),
  asIs: obj({cpu: figure, memory: figure}),
  request: obj({cpu: figure, memory: figure}),
  planned: obj({cpu: nonNegativeNumber, memoryMiB: nonNegativeNumber, basis: str}),
  saving: money,
  effort: obj({days: figure, lines: arr(effortLine)}),
  fitsScope: bool,
})

const host = obj(
  {
    host: str,
    hostname: str,
    platform: oneOf('vm', 'bare-metal', 'container', 'unknown'),
    virtualization: str,
    os: obj({prettyName: str}, {endOfLife: str}),
    inputs: obj({artifacts: bool}),
    coverage: obj({samples: nonNegative, sampleSeconds: nonNegativeNumber, historyPoints: nonNegative, historyDays: nonNegativeNumber, confidence, basis: str}, {historySource: str}),
    before: obj({cpu: usage, memory: usage}),
    after: obj({cpu: figure, memory: figure, nodes: figure}),
    credits: obj({cpu: arr(credit), memory: arr(credit)}),
    cost: obj({
      before: money,
      after: money,
      saving: money,
      savingPercent: figure,
      industry: obj({percent: {type: ['number', 'null']}, label: str, saving: money}),
    }),
    applications: arr(application),
    effort: obj({lines: arr(effortLine), days: figure, fitsScope: bool}),
    scope: obj({in: arr(scopeItem), out: arr(scopeItem)}),
    risks: arr(obj({level: oneOf('high', 'medium', 'low'), code: str, message: str}, {service: str})),
    nextSteps: arr(str),
  },
  {attackSurface: obj({before: surfaceFigures, after: surfaceFigures, notes: arr(str)})},
)

const packedItem = obj({host: str, service: str, cpu: nonNegativeNumber, memoryGiB: nonNegativeNumber})
const ranked = obj({host: str, savingMonthly: num, days: nonNegativeNumber, perDay: num, wave: nonNegative}, {application: str})

export const reportSchema: Schema = {
  $id: 'https://hoist.dev/schemas/report.json',
  title: 'Report',
  ...obj(
    {
      schemaVersion: {const: 1},
      scope: oneOf('host', 'portfolio'),
      generatedAt: dateTime,
      mode: oneOf('same-as-source', 'moderate', 'aggressive'),
      currency: str,
      assumptions: arr(obj({key: str, label: str, value: {anyOf: [str, num]}, source: oneOf('default', 'config', 'mode')}, {note: str})),
      hosts: arr(host),
      totals: obj({
        cpu: obj({allocated: figure, after: figure}),
        memory: obj({allocated: figure, after: figure}),
        cost: obj({before: money, after: money, saving: money, savingPercent: figure}),
        industry: money,
        days: figure,
      }),
      packing: obj({
        node: obj({vcpu: nonNegativeNumber, memoryGiB: nonNegativeNumber, reservedVcpu: nonNegativeNumber, reservedMemoryGiB: nonNegativeNumber}),
        nodes: arr(obj({index: nonNegative, units: nonNegative, items: arr(packedItem), cpu: nonNegativeNumber, memoryGiB: nonNegativeNumber})),
        count: figure,
        fill: figure,
      }),
      ranking: obj({hosts: arr(ranked), applications: arr(ranked)}),
      waves: arr(obj({index: nonNegative, hosts: arr(str), applications: arr(str), days: nonNegativeNumber, savingMonthly: num})),
      nextSteps: arr(str),
    },
    {configFile: str},
  ),
}

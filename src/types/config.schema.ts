import {arr, nonNegativeNumber, obj, oneOf, str, type Schema} from './schema-builders.js'

const positive: Schema = {type: 'number', exclusiveMinimum: 0}
const kinds = ['webserver', 'appserver', 'runtime', 'database', 'cache', 'queue', 'search', 'proxy', 'batch', 'generic']

/** hoist.yaml: every assumption in one file. Issue-by-issue it grows; unknown keys are errors. */
export const configSchema: Schema = {
  $id: 'https://hoist.dev/schemas/config.json',
  title: 'hoist.yaml',
  ...obj({}, {
    rules: obj({}, {disabled: arr(str), dirs: arr(str)}),
    baseImage: oneOf('same-os', 'official'),
    headroom: {type: 'number', minimum: 1, maximum: 10},
    percentile: {type: 'number', minimum: 50, maximum: 100},
    // The report's assumptions (src/report/settings.ts has their defaults).
    mode: oneOf('same-as-source', 'moderate', 'aggressive'),
    prices: obj({}, {currency: {type: 'string', pattern: '^[A-Z]{3}$'}, vcpuHour: nonNegativeNumber, gibHour: nonNegativeNumber, nodeHour: nonNegativeNumber}),
    node: obj({}, {vcpu: positive, memoryGiB: positive, reservedVcpu: nonNegativeNumber, reservedMemoryGiB: nonNegativeNumber}),
    effort: obj({}, {
      kinds: obj({}, Object.fromEntries(kinds.map((k) => [k, nonNegativeNumber]))),
      perHost: nonNegativeNumber,
      perDependency: nonNegativeNumber,
      perWarning: nonNegativeNumber,
      perBlocking: nonNegativeNumber,
      per100GiB: nonNegativeNumber,
      perOpenQuestion: nonNegativeNumber,
      notGenerated: nonNegativeNumber,
      lowConfidence: nonNegativeNumber,
      scopeDays: positive,
    }),
  }),
}

import {arr, obj, oneOf, str, type Schema} from './schema-builders.js'

/** hoist.yaml: every assumption in one file. Issue-by-issue it grows; unknown keys are errors. */
export const configSchema: Schema = {
  $id: 'https://hoist.dev/schemas/config.json',
  title: 'hoist.yaml',
  ...obj({}, {
    rules: obj({}, {disabled: arr(str), dirs: arr(str)}),
    baseImage: oneOf('same-os', 'official'),
    headroom: {type: 'number', minimum: 1, maximum: 10},
    percentile: {type: 'number', minimum: 50, maximum: 100},
  }),
}

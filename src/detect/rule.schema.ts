import {arr, bool, map, num, obj, oneOf, str, type Schema} from '../types/schema-builders.js'

// A pattern, not minLength: minLength needs an ajv runtime helper in precompiled validators.
const regex: Schema = {type: 'string', pattern: '\\S'}
const kinds = oneOf('webserver', 'appserver', 'runtime', 'database', 'cache', 'queue', 'search', 'proxy', 'batch', 'generic', 'system')
const processMatcher = {...obj({}, {comm: regex, exe: regex, argv: regex, user: regex, listening: bool}), minProperties: 1}
const cronMatcher = {...obj({}, {command: regex, user: regex, source: regex}), minProperties: 1}

const condition: Schema = {
  oneOf: [
    obj({package: obj({name: regex}, {version: regex})}),
    obj({port: {type: 'integer', minimum: 1, maximum: 65535}}),
    obj({unit: obj({name: regex}, {execStart: regex})}),
    obj({path: regex}),
    {...obj({os: obj({}, {id: regex, versionId: regex})})},
    obj({process: processMatcher}),
    obj({cron: cronMatcher}),
  ],
}

const captureSource: Schema = {
  oneOf: [obj({package: regex}), obj({argv: regex}), obj({exe: regex}), obj({env: regex}), obj({unit: regex}), obj({default: str})],
}

const pathEntry: Schema = {oneOf: [str, obj({path: str}, {role: str})]}
const healthcheck = {...obj({}, {http: str, tcp: bool, command: arr(str)}), minProperties: 1}

const expectedWorkload = obj({}, {
  name: str, ports: arr({type: 'integer'}), user: str, version: str, command: str, configPaths: arr(str), dataPaths: arr(str),
})

export const ruleSchema: Schema = {
  $id: 'https://hoist.dev/schemas/rule.json',
  title: 'Detector rule',
  ...obj(
    {
      id: {type: 'string', pattern: '^[a-z0-9-]+/[a-z0-9.-]+$'},
      title: str,
      summary: str,
      kind: kinds,
      // Exactly one anchor (process or cron): checked by the loader, which can say so plainly.
      match: obj({}, {process: processMatcher, cron: cronMatcher, all: arr(condition), any: arr(condition), none: arr(condition)}),
      emit: obj(
        {name: str},
        {
          runtime: obj({name: str}, {version: str}),
          version: str,
          configPaths: arr(pathEntry),
          dataPaths: arr(pathEntry),
          logPaths: arr(str),
          packages: arr(regex),
          healthcheck,
          officialImage: str,
          template: str,
          system: str,
        },
      ),
      examples: {...arr(obj({facts: str, expect: arr(expectedWorkload)})), minItems: 1},
    },
    {precedence: {type: 'integer', minimum: 0, maximum: 100}, confidence: {...num, minimum: 0, maximum: 1}, capture: map(arr(captureSource))},
  ),
}

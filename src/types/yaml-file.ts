import type {ErrorObject} from 'ajv'
import {isMap, isSeq, LineCounter, parseDocument, type Document} from 'yaml'

export interface YamlProblem {
  line?: number
  message: string
}

export interface ParsedYaml {
  value: unknown
  /** Syntax errors; when any, value is undefined. */
  problems: YamlProblem[]
  lineOf(instancePath: string): number | undefined
}

/** Parses YAML keeping positions, so schema errors can name the line a person has to fix. */
export function parseYamlFile(text: string): ParsedYaml {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, prettyErrors: true, uniqueKeys: true})
  const problems = doc.errors.map((e) => ({line: e.linePos?.[0]?.line, message: e.message.split('\n')[0]!}))
  return {
    value: problems.length > 0 ? undefined : doc.toJS({maxAliasCount: 100}),
    problems,
    lineOf: (path) => lineOf(doc, lineCounter, path),
  }
}

function lineOf(doc: Document, counter: LineCounter, instancePath: string): number | undefined {
  const segments = instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  let node: unknown = doc.contents
  let line = rangeLine(node, counter)
  for (const segment of segments) {
    if (isMap(node)) node = node.items.find((pair) => String((pair.key as {value?: unknown})?.value ?? pair.key) === segment)?.value
    else if (isSeq(node)) node = node.items[Number(segment)]
    else break
    line = rangeLine(node, counter) ?? line
  }
  return line
}

function rangeLine(node: unknown, counter: LineCounter): number | undefined {
  const range = (node as {range?: [number, number, number]} | undefined)?.range
  return range ? counter.linePos(range[0]).line : undefined
}

/** Schema errors as "line N: where: what", the unknown key or the expected shape spelled out. */
export function describeSchemaErrors(errors: ErrorObject[], parsed: ParsedYaml): YamlProblem[] {
  const seen = new Set<string>()
  const out: YamlProblem[] = []
  for (const e of errors) {
    // oneOf failures repeat every branch's complaint; the branch errors below say it better.
    if (e.keyword === 'oneOf' || e.keyword === 'if') continue
    const where = e.instancePath || '(top)'
    const message =
      e.keyword === 'additionalProperties'
        ? `${where}: unknown key "${(e.params as {additionalProperty: string}).additionalProperty}"`
        : e.keyword === 'enum'
          ? `${where}: must be one of ${(e.params as {allowedValues: unknown[]}).allowedValues.join(', ')}`
          : `${where}: ${e.message ?? e.keyword}`
    if (seen.has(message)) continue
    seen.add(message)
    // An unknown key is best shown on its own line, not its parent's.
    const at = e.keyword === 'additionalProperties' ? `${e.instancePath}/${(e.params as {additionalProperty: string}).additionalProperty}` : e.instancePath
    out.push({line: parsed.lineOf(at), message})
  }
  return out
}

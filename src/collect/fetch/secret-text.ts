import {createHash, randomBytes} from 'node:crypto'
import {isSecretName, REDACTED, redactLines} from '../redact.js'
import {COMMENT_LINE} from './discover.js'
import {envWord, fileStem} from './host-path.js'
import {secretPlaceholder} from './report.js'

/**
 * A copied text file loses its secret values the way the probe's output does (redactLines, the one
 * rule set), but each value becomes a named placeholder instead of `<redacted>`, so the build
 * context keeps a working file and the value can be supplied at run time under that name.
 */

/**
 * Placeholder names for one fetch. Values are compared by digest (the value itself is not kept): the
 * same key holding the same value in two files is one secret; the same key holding another value gets
 * its own name (DB_PASSWORD_2), since one variable cannot fill both.
 */
export class SecretNames {
  private readonly digests = new Map<string, string>()

  name(base: string, numbered: boolean, value: string | undefined): string {
    // A value we could not line up is never merged with another.
    const digest = value === undefined ? randomBytes(16).toString('hex') : createHash('sha256').update(value).digest('hex')
    // Plain names go BASE, BASE_2, …; names with nothing to go on are always numbered: BASE_1, BASE_2.
    for (let n = 1; ; n++) {
      const name = n === 1 && !numbered ? base : `${base}_${n}`
      const seen = this.digests.get(name)
      if (seen === undefined) this.digests.set(name, digest)
      if (seen === undefined || seen === digest) return name
    }
  }
}

export interface RedactedText {
  text: string
  /** One per value replaced, by line (1-based). */
  secrets: {name: string; line: number}[]
}

// Source code: a secret there is a string literal; anything else after `password =` is an
// expression (os.environ.get(…), conf['db']['password']) and is the program, kept as it is.
const CODE_FILE = /\.(py|rb|js|mjs|cjs|ts|php|java|kt|groovy|scala|go|pl|pm|lua|cs|vb|erb|ejs)$/i

/** text is latin1-decoded bytes, so whatever the file's encoding, untouched bytes round-trip exactly. */
export function redactText(text: string, file: string, names: SecretNames): RedactedText {
  const lines = text.split('\n')
  const bare = lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
  const redacted = redactLines(bare)
  const code = CODE_FILE.test(file)
  const inBlock = blockComments(bare)
  const secrets: RedactedText['secrets'] = []
  const out = lines.map((line, i) => {
    const before = bare[i] as string
    const after = redacted[i] as string
    if (after === before) return line
    const segments = after.split(REDACTED)
    const exact = alignValues(before, segments, false)
    const values = alignValues(before, segments, true)
    // A commented-out value is still redacted, but it is no runtime parameter: nothing reads it.
    const comment = inBlock[i] === true || COMMENT_LINE.test(before)
    let result = segments[0] as string
    for (let k = 1; k < segments.length; k++) {
      const value = values[k - 1]
      const original = exact[k - 1]
      const open = (segments[k - 1] as string).slice(-1)
      const literal = (original !== undefined && original.length >= 2 && /^["']/.test(original) && original.endsWith(original[0] as string)) ||
        (/["']/.test(open) && (segments[k] as string).startsWith(open))
      // An empty value hides nothing; in code, a non-literal is an expression: both stay as they were.
      if (original !== undefined && (/^(""|''|)$/.test(original) || (code && !literal))) {
        result += `${original}${segments[k] as string}`
        continue
      }
      if (comment) {
        result += `${REDACTED}${segments[k] as string}`
        continue
      }
      // A quoted value keeps its quotes around the placeholder; "x" and x are the same secret.
      const quote = value !== undefined && value.length >= 2 && /^["']/.test(value) && value.endsWith(value[0] as string) ? (value[0] as string) : ''
      const name = nameFor(segments[k - 1] as string, segments[k] as string, file, names, quote ? value?.slice(1, -1) : value)
      secrets.push({name, line: i + 1})
      result += `${quote}${secretPlaceholder(name)}${quote}${segments[k] as string}`
    }
    return line.endsWith('\r') ? `${result}\r` : result
  })
  return {text: out.join('\n'), secrets}
}

/**
 * Lines inside <!-- … --> or /* … *\/ blocks (server.xml, tomcat-users.xml ship commented-out
 * examples with passwords): redacted like comments, never made runtime parameters. A line that
 * opens a /* block is not marked here: COMMENT_LINE, checked beside this, already matches it.
 */
function blockComments(lines: string[]): boolean[] {
  let inside: '' | 'xml' | 'c' = ''
  return lines.map((line) => {
    const startsInside = inside !== ''
    for (let i = 0; i < line.length; i++) {
      if (inside === '' && line.startsWith('<!--', i)) inside = 'xml'
      else if (inside === '' && line.startsWith('/*', i)) inside = 'c'
      else if (inside === 'xml' && line.startsWith('-->', i)) inside = ''
      else if (inside === 'c' && line.startsWith('*/', i)) inside = ''
    }
    return startsInside || /^[ \t]*<!--/.test(line)
  })
}

const KEY_BEFORE_VALUE = /([A-Za-z0-9_.-]+)["']?[ \t]*[=:]?[ \t]*["']?$/
const URL_USER_BEFORE = /:\/\/[^:/@ \t"]*:$/

/** The name a value takes from the key just before it, else one made from the file's name. */
function nameFor(text: string, after: string, file: string, names: SecretNames, value: string | undefined): string {
  const stem = fileStem(file)
  // Anchored at the end, these patterns cost time with the length of a run of name characters at each
  // start: only the tail can hold the key, so a hostile megabyte line stays cheap.
  const before = text.slice(-256)
  if (URL_USER_BEFORE.test(before) && after.startsWith('@')) return names.name(`${stem}_URL_PASSWORD`, false, value)
  const key = KEY_BEFORE_VALUE.exec(before)?.[1]
  if (key !== undefined && isSecretName(key)) {
    // -Djavax.net.ssl.keyStorePassword: the -D is Java's, not part of the property's name.
    let name = envWord(/^-D[a-z]/.test(key) ? key.slice(2) : key)
    if (/^[0-9]/.test(name)) name = `${stem}_${name}`
    if (name !== '') return names.name(name, false, value)
  }
  return names.name(`${stem}_SECRET`, true, value)
}

/**
 * The original values between the segments redactLine kept. Its JSON and flag rules re-space what
 * they keep, so for de-duplication both sides are compared without blanks (`squeezed`); a value that
 * cannot be lined up is undefined (it only loses de-duplication or being kept, never redaction).
 */
function alignValues(original: string, segments: string[], squeezed: boolean): (string | undefined)[] {
  const squeeze = (text: string): string => (squeezed ? text.replace(/[ \t]+/g, '') : text)
  const text = squeeze(original)
  const parts = segments.map(squeeze)
  const values: (string | undefined)[] = segments.slice(1).map(() => undefined)
  if (!text.startsWith(parts[0] as string)) return values
  let pos = (parts[0] as string).length
  for (let k = 1; k < parts.length; k++) {
    const part = parts[k] as string
    const last = k === parts.length - 1
    const end = last ? text.length - part.length : part === '' ? -1 : text.indexOf(part, pos)
    if (end < pos || (last && !text.endsWith(part))) return values
    values[k - 1] = text.slice(pos, end)
    pos = end + part.length
  }
  return values
}

/**
 * Secret redaction in the collect stage. The probe already redacts on the host (the awk program
 * in probe.sh); this is the same rule set in TypeScript, applied again to everything parsed, so a
 * secret the host-side pass missed (an old probe, --local, a hand-edited file) still never lands.
 * Keep the two in step: test/unit/collect/redact.test.ts runs both over the same cases.
 */
export const REDACTED = '<redacted>'

const SECRET_WORDS = /pass|secret|token|key|credential|private|salt|pwd/
const NOT_SECRET = new Set(['pwd', 'oldpwd'])
// Names that describe a secret without holding one: ephemeralDHKeySize, SSL_KEY_FILE, DB_PASSWORD_FILE.
const DESCRIBES_SECRET = /(size|length|len|bits|file|path|dir|type|algorithm|store)$/
// "name": "v", 'name': 'v', 'name' => 'v': JSON, Python dicts, PHP and Ruby hashes.
const JSON_MEMBER = /["']([A-Za-z0-9_.-]+)["'][ \t]*(?::|=>)[ \t]*(?:"[^"]*"|'[^']*')/g
// `requirepass value` (redis.conf, and the like): a directive at the start of a line, then its value.
const DIRECTIVE = /^([ \t]*)([A-Za-z][A-Za-z0-9_.-]*)([ \t]+)(.*)$/
const NOT_A_VALUE = /^(?:[=:/.-]|(?:yes|no|on|off|true|false|[0-9]+[A-Za-z]?|""|'')[ \t]*$)/i
// Narrower than SECRET_WORDS, and at the end of the name: plain directives contain those words
// (notify-keyspace-events, ServerTokens, SSLPassPhraseDialog), secret ones end with them.
const DIRECTIVE_SECRET = /(pass|password|passwd|secret|token|auth|credentials?)$/
const URL_CREDENTIALS = /:\/\/([^:/@ \t"]*):[^@/ \t"]+@/g
// The lookbehinds start a match only where awk's leftmost match can start (the first candidate in
// a run of name characters), so the result is the same and a long hostile run costs linear time
// instead of quadratic backtracking (a 100 KB argv element took seconds).
// Each with the text it cannot match without: most values contain none, and a substring check is
// far cheaper than the pattern (redaction was a third of a scan's own CPU).
const TOKEN_SHAPES: [needle: string, shape: RegExp][] = [
  ['AKIA', /AKIA[0-9A-Z]{16}/g],
  ['gh', /gh[pousr]_[A-Za-z0-9]{10,}/g],
  ['xox', /(?<!xox[abprs]-[A-Za-z0-9-]*?)xox[abprs]-[A-Za-z0-9-]{7,}/g],
  ['eyJ', /(?<!eyJ[A-Za-z0-9_-]*?)eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g],
]
const ASSIGNMENT = /(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]+[ \t]*[=:][ \t]*/g
const FLAG_VALUE = /(?<![A-Za-z0-9_.]|-[A-Za-z0-9_.]*)--?[A-Za-z0-9_.-]+[ \t]+(?:"[^"]*"?|'[^']*'?|[^ \t/.'"-][^ \t'"]*)/g

export function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replace(/^-+/, '')
  return !NOT_SECRET.has(n) && !DESCRIBES_SECRET.test(n) && SECRET_WORDS.test(n)
}

function isDirectiveSecret(name: string): boolean {
  const n = name.toLowerCase()
  return !DESCRIBES_SECRET.test(n) && DIRECTIVE_SECRET.test(n)
}

/** JSON members with secret names, credentials in URLs and well-known token shapes, anywhere. */
export function redactShapes(value: string): string {
  let out = value
  if (out.includes('"') || out.includes("'")) {
    out = out.replace(JSON_MEMBER, (m, name: string) => {
      if (!isSecretName(name)) return m
      const sep = /:|=>/.exec(m.slice(name.length + 2))!
      const quote = m.slice(-1)
      return `${m.slice(0, name.length + 2 + sep.index + sep[0].length)} ${quote}${REDACTED}${quote}`
    })
  }
  if (out.includes('://')) out = out.replace(URL_CREDENTIALS, `://$1:${REDACTED}@`)
  for (const [needle, shape] of TOKEN_SHAPES) if (out.includes(needle)) out = out.replace(shape, REDACTED)
  return out
}

/** One argv element or environment entry; `previous` is the element before it (for `--password x`). */
export function redactElement(element: string, previous = ''): string {
  const eq = element.indexOf('=')
  if (element.includes('PRIVATE KEY')) return eq > 0 ? `${element.slice(0, eq + 1)}${REDACTED}` : REDACTED
  if (eq > 0) {
    const name = element.slice(0, eq)
    if (/^-*[A-Za-z0-9_.-]+$/.test(name) && isSecretName(name)) return `${name}=${REDACTED}`
  }
  if (/^--?[A-Za-z0-9_.-]+$/.test(previous) && isSecretName(previous) && element !== '' && !/^[/.-]/.test(element)) {
    return REDACTED
  }
  // The rest as text: `sh -c "x --password=y"` and JAVA_OPTS=-Dkey.password=y hide assignments.
  return redactLine(element)
}

export function redactArgv(argv: string[]): string[] {
  return argv.map((element, i) => redactElement(element, i > 0 ? argv[i - 1] : ''))
}

export function redactEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(env)) {
    const entry = redactElement(`${name}=${value}`)
    out[name] = entry.slice(entry.indexOf('=') + 1)
  }
  return out
}

/**
 * One line of a text file (unit, env file, crontab, config): `NAME=value`, `NAME: value`,
 * `NAME = "value"` lose their value when NAME looks secret. The value runs to its closing quote,
 * to the end of the line when the name starts the line, or else to the next blank.
 */
export function redactLine(line: string): string {
  if (line.includes('PRIVATE KEY')) return REDACTED
  const directive = DIRECTIVE.exec(line)
  if (directive && directive[4] !== '' && !NOT_A_VALUE.test(directive[4]!) && isDirectiveSecret(directive[2]!)) {
    return `${directive[1]}${directive[2]}${directive[3]}${REDACTED}`
  }
  let out = ''
  let rest = line
  while (rest.includes('=') || rest.includes(':')) {
    ASSIGNMENT.lastIndex = 0
    const m = ASSIGNMENT.exec(rest)
    if (!m) break
    const pre = rest.slice(0, m.index)
    const sep = m[0]
    const after = rest.slice(m.index + sep.length)
    const name = sep.replace(/[ \t]*[=:][ \t]*$/, '')
    const atStart = out === '' && /^[ \t]*(export[ \t]+)?$/.test(pre)
    out += pre + sep
    rest = after
    if (!isSecretName(name) || after === '' || after.startsWith('//')) continue
    const before = pre.slice(-1)
    let length: number
    if (/^["']/.test(after)) {
      const close = after.indexOf(after[0]!, 1)
      length = close < 0 ? after.length : close + 1
    } else if (before === '"' || before === "'") {
      const close = after.indexOf(before)
      length = close < 0 ? after.length : close
    } else if (atStart) {
      length = after.length
    } else {
      const blank = after.search(/[ \t"]/)
      length = blank < 0 ? after.length : blank
    }
    out += REDACTED
    rest = after.slice(length)
  }
  out += rest
  // A quoted value runs to its closing quote, so `--password "two words"` loses both words; an
  // unquoted one stops at a quote, so `ARGS="--token x"` keeps the quote that closes ARGS.
  if (out.includes('-')) {
    out = out.replace(FLAG_VALUE, (m) => {
      const flag = m.split(/[ \t]+/)[0]!
      return isSecretName(flag) ? `${flag} ${REDACTED}` : m
    })
  }
  return redactShapes(out)
}

/** Lines of a text file: as redactLine, and every line of a private key written over several lines. */
export function redactLines(lines: string[]): string[] {
  let inKey = false
  return lines.map((line) => {
    if (inKey) {
      if (/END[A-Z ]*PRIVATE KEY/.test(line)) inKey = false
      return REDACTED
    }
    if (/BEGIN[A-Z ]*PRIVATE KEY/.test(line) && !/END[A-Z ]*PRIVATE KEY/.test(line)) inKey = true
    return redactLine(line)
  })
}

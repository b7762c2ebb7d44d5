/**
 * The two Python functions Ansible's INI parser leans on, reimplemented so values come out as
 * Ansible sees them: `shlex.split(line, comments=True)` for host lines and `ast.literal_eval` for
 * every value (with the raw text kept when it is not a Python literal).
 */

/** POSIX shlex with whitespace splitting: quotes group, `\` escapes, `#` starts a comment even mid-word. */
export function shlexSplit(line: string): string[] {
  const tokens: string[] = []
  let token = ''
  let inToken = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string
    if (quote === "'") {
      if (char === "'") quote = undefined
      else token += char
      continue
    }
    if (quote === '"') {
      if (char === '"') quote = undefined
      else if (char === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) token += line[++i]
      else token += char
      continue
    }
    if (char === ' ' || char === '\t' || char === '\r' || char === '\n') {
      if (inToken) tokens.push(token)
      token = ''
      inToken = false
    } else if (char === '#') {
      break
    } else if (char === '"' || char === "'") {
      quote = char
      inToken = true
    } else if (char === '\\') {
      if (i + 1 >= line.length) throw new Error('No escaped character')
      token += line[++i]
      inToken = true
    } else {
      token += char
      inToken = true
    }
  }
  if (quote !== undefined) throw new Error('No closing quotation')
  if (inToken) tokens.push(token)
  return tokens
}

const INT_RE = /^[+-]?\s*(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?\d)*|0+(?:_?0)*)$/
const DIGITS = String.raw`\d(?:_?\d)*`
const EXPONENT = `[eE][+-]?${DIGITS}`
const FLOAT_RE = new RegExp(`^[+-]?\\s*(?:(?:${DIGITS})?\\.${DIGITS}(?:${EXPONENT})?|${DIGITS}\\.(?:${EXPONENT})?|${DIGITS}${EXPONENT})$`)

/**
 * `ast.literal_eval` for the scalars an inventory holds: strings (with escapes and implicit
 * concatenation), ints, floats, True, False, None; a trailing Python comment is allowed, as Python
 * allows it. Anything else (a bare word, an address, a list) is returned as the text itself.
 */
export function pythonLiteral(text: string): unknown {
  const source = text.replace(/^[ \t]+/, '')
  const body = stripTrailingComment(source)
  if (body === undefined) return text
  if (body === 'True') return true
  if (body === 'False') return false
  if (body === 'None') return null
  if (INT_RE.test(body)) return parseInteger(body)
  if (FLOAT_RE.test(body)) return Number(body.replace(/[\s_]/g, ''))
  const strings = readStrings(body)
  return strings ?? text
}

/** The literal without a trailing `# comment`, or undefined when a quote is left open. */
function stripTrailingComment(source: string): string | undefined {
  let quote: string | undefined
  for (let i = 0; i < source.length; i++) {
    const char = source[i] as string
    if (quote !== undefined) {
      if (char === '\\') i++
      else if (source.startsWith(quote, i)) {
        i += quote.length - 1
        quote = undefined
      }
    } else if (char === '"' || char === "'") {
      quote = source.startsWith(char.repeat(3), i) ? char.repeat(3) : char
      i += quote.length - 1
    } else if (char === '#') {
      return source.slice(0, i).trimEnd()
    }
  }
  return quote === undefined ? source.trimEnd() : undefined
}

function parseInteger(body: string): number {
  const clean = body.replace(/[\s_]/g, '')
  const negative = clean.startsWith('-')
  const digits = clean.replace(/^[+-]/, '')
  const value = /^0[xXoObB]/.test(digits) ? Number(digits.toLowerCase()) : Number(digits)
  return negative ? -value : value
}

const ESCAPES: Record<string, string> = {n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': ''}

/** One or more adjacent Python string literals (`'a' "b"`), prefixed r/u allowed; undefined if not that. */
function readStrings(body: string): string | undefined {
  let rest = body
  let result = ''
  let count = 0
  while (rest !== '') {
    const match = /^([rRuU]?)('''|"""|'|")/.exec(rest)
    if (!match) return undefined
    const raw = (match[1] as string).toLowerCase() === 'r'
    const quote = match[2] as string
    let i = match[0].length
    let value = ''
    for (;;) {
      if (i >= rest.length) return undefined
      if (rest.startsWith(quote, i)) break
      const char = rest[i] as string
      if (quote.length === 1 && char === '\n') return undefined
      if (char === '\\' && i + 1 < rest.length) {
        const next = rest[i + 1] as string
        if (raw) value += char + next
        else if (next in ESCAPES) value += ESCAPES[next]
        else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(rest.slice(i + 2, i + 4))) {
          value += String.fromCharCode(parseInt(rest.slice(i + 2, i + 4), 16))
          i += 2
        } else value += char + next
        i += 2
        continue
      }
      value += char
      i++
    }
    result += value
    count++
    rest = rest.slice(i + quote.length).trimStart()
  }
  return count > 0 ? result : undefined
}

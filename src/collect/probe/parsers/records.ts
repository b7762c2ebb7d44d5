/** Lines of `grep -H` over /proc/PID/FILE: "PID/FILE:rest". */
export function pidRecords(lines: string[], file: string): {pid: number; rest: string}[] {
  const out: {pid: number; rest: string}[] = []
  const prefix = new RegExp(`^(\\d+)/${file}:`)
  for (const line of lines) {
    const m = prefix.exec(line)
    if (m) out.push({pid: Number(m[1]), rest: line.slice(m[0].length)})
  }
  return out
}

/** A record made of \x01-separated elements, \x02 standing for a newline inside an element. */
export function elements(rest: string): string[] {
  const parts = rest.split('\u0001').map((e) => e.replace(/\u0002/g, '\n'))
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts
}

/** `ls -l` lines for /proc links: "... 123/exe -> /usr/sbin/nginx". */
export function procLinks(lines: string[]): Map<string, string> {
  const links = new Map<string, string>()
  for (const line of lines) {
    const m = / (\d+\/[a-z]+(?:\/\d+)?) -> (.*)$/.exec(line)
    if (m) links.set(m[1]!, m[2]!)
  }
  return links
}

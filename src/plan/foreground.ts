/**
 * A container runs its main process in the foreground: a daemon that forks away leaves the
 * container with nothing to wait for, and it exits. The original's command is kept word for word
 * except where the program was told to detach; then only that part changes, and the plan says so.
 */
export interface Foreground {
  command: string[]
  /** What changed and why; empty when the observed command already stays in the foreground. */
  changes: string[]
}

type Adjust = (command: string[]) => Foreground

const keep = (command: string[]): Foreground => ({command, changes: []})

/** Drops `flag VALUE` (or `flag` alone with arity 0) wherever it appears. */
function dropFlag(flag: string, arity: 0 | 1, why: string): Adjust {
  return (command) => {
    const out: string[] = []
    const changes: string[] = []
    for (let i = 0; i < command.length; i++) {
      const word = command[i]!
      if (word === flag) {
        changes.push(`dropped ${[word, ...command.slice(i + 1, i + 1 + arity)].join(' ')}: ${why}`)
        i += arity
      } else if (arity === 1 && word.startsWith(`${flag}=`)) {
        changes.push(`dropped ${word}: ${why}`)
      } else {
        out.push(word)
      }
    }
    return {command: out, changes}
  }
}

const ADJUST: Record<string, Adjust> = {
  nginx(command) {
    const i = command.indexOf('-g')
    const directives = i >= 0 ? (command[i + 1] ?? '') : ''
    const rest = directives.replace(/(^|;)\s*daemon\s+\w+\s*;/g, '$1').trim()
    const next = [...(i >= 0 ? [...command.slice(0, i), ...command.slice(i + 2)] : command), '-g', `${rest ? `${rest} ` : ''}daemon off;`]
    return {command: next, changes: ['set `daemon off;`: nginx must stay in the foreground as the container\'s main process']}
  },
  // Debian's apache2ctl reads /etc/apache2/envvars (APACHE_RUN_USER, …) and creates the run
  // directories before it execs apache2, as the init script did.
  'apache-httpd': apacheForeground,
  'apache-mod-php': apacheForeground,
  uwsgi: dropFlag('--daemonize', 1, 'uwsgi must stay in the foreground and log to standard output'),
  haproxy: dropFlag('-D', 0, 'haproxy must stay in the foreground'),
  memcached: dropFlag('-d', 0, 'memcached must stay in the foreground'),
  redis(command) {
    const i = command.indexOf('--daemonize')
    if (i < 0 || command[i + 1] === 'no') return keep(command)
    return {command: [...command.slice(0, i), '--daemonize', 'no', ...command.slice(i + 2)], changes: ['set --daemonize no: redis must stay in the foreground']}
  },
}

function apacheForeground(command: string[]): Foreground {
  const binary = command[0] ?? ''
  const ctl = binary.includes('httpd') && !binary.includes('apache2') ? binary : '/usr/sbin/apache2ctl'
  if (command.some((word) => word.endsWith('FOREGROUND'))) return keep(command)
  return {command: [ctl, '-D', 'FOREGROUND'], changes: [`ran ${ctl} -D FOREGROUND instead of ${command.join(' ')}: the same server, configuration and modules, without detaching`]}
}

/** The container command for a service built from `template`, from the command the original ran. */
export function foreground(template: string | undefined, command: string[]): Foreground {
  const adjust = template ? ADJUST[template] : undefined
  return adjust ? adjust(command) : keep(command)
}

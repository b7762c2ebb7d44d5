import type {Service} from '../../types/plan.js'
import type {PackageFamily} from './accounts.js'

export interface RenderedHealthcheck {
  test: string[]
  interval: number
  timeout: number
  startPeriod: number
  retries: number
}

/**
 * The plan's health check as an exec-form HEALTHCHECK. Port checks use the shell's /dev/tcp (bash,
 * present on every Debian and RHEL image) so the image needs no curl or netcat it did not have.
 */
export function healthcheckOf(check: NonNullable<Service['healthcheck']>, family: PackageFamily): RenderedHealthcheck {
  const timing = {interval: 30, timeout: 5, startPeriod: 30, retries: 3}
  if (check.type === 'command') return {test: check.command, ...timing}
  if (family === 'apk') {
    const test = check.type === 'tcp'
      ? ['nc', '-z', '127.0.0.1', String(check.port)]
      : ['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${check.port}${check.path}`]
    return {test, ...timing}
  }
  const connect = `exec 3<>/dev/tcp/127.0.0.1/${check.port}`
  if (check.type === 'tcp') return {test: ['bash', '-c', connect], ...timing}
  // Any answer below 500 means the server is up and serving; the status the original gave is
  // compared by `hoist verify`, not here.
  const request = `printf 'GET ${check.path} HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3`
  return {test: ['bash', '-c', `${connect} && ${request} && read -r _ code _ <&3 && [ "$code" -lt 500 ]`], ...timing}
}

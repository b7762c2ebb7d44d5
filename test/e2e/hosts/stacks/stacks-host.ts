// The "stacks" fixture host: one Debian 12 box running every application stack Hoist must
// recognise (build-stacks-rootfs.sh), booted by init-stacks.sh, reachable over SSH at
// 10.210.<index>.2. The machinery is ../host.ts's; this file only describes the image.
import {readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ensureRootfs, type FixtureHost, type FixtureHostOptions, type HostImage, PLANTED_SECRET, startFixtureHost} from '../host.js'

export type {FixtureHost} from '../host.js'
export {PLANTED_SECRET} from '../host.js'

/** Distinctive bodies each web stack answers with (haproxy on :8404 proxies node's). */
export const STACK_MARKERS = {
  php: 'hoist-stack-apache-php-5c1d',
  tomcat: 'hoist-stack-tomcat-8e2a',
  jar: 'hoist-stack-java-jar-1f7b',
  node: 'hoist-stack-node-3a9c',
  flask: 'hoist-stack-flask-6d04',
  uwsgi: 'hoist-stack-uwsgi-9b3e',
  puma: 'hoist-stack-puma-2e8f',
} as const

/** Every TCP port init-stacks.sh waits for: the stack, its process (comm) and the user it serves as. */
export const STACK_PORTS = [
  {port: 22, stack: 'sshd', comm: 'sshd', user: 'root'},
  {port: 80, stack: 'apache2 + mod_php', comm: 'apache2', user: 'www-data'},
  {port: 3000, stack: 'node', comm: 'node', user: 'node'},
  {port: 3306, stack: 'mariadb', comm: 'mariadbd', user: 'mysql'},
  {port: 5672, stack: 'rabbitmq', comm: 'beam.smp', user: 'rabbitmq'},
  {port: 8000, stack: 'gunicorn + Flask', comm: 'gunicorn', user: 'flask'},
  {port: 8001, stack: 'uwsgi', comm: 'uwsgi', user: 'www-data'},
  {port: 8080, stack: 'tomcat10', comm: 'java', user: 'tomcat'},
  {port: 8081, stack: 'java -jar', comm: 'java', user: 'app'},
  {port: 8404, stack: 'haproxy', comm: 'haproxy', user: 'haproxy'},
  {port: 9000, stack: 'php-fpm', comm: 'php-fpm8.2', user: 'www-data'},
  {port: 9292, stack: 'puma', comm: 'puma', user: 'ruby'},
  {port: 11211, stack: 'memcached', comm: 'memcached', user: 'memcache'},
] as const

const HERE = dirname(fileURLToPath(import.meta.url))

export const STACKS_IMAGE: HostImage = {
  name: 'bookworm-stacks',
  buildScript: join(HERE, 'build-stacks-rootfs.sh'),
  initScript: join(HERE, 'init-stacks.sh'),
  // Two JVMs and Erlang start on 2 cores: give it time.
  readyTimeoutMs: 120_000,
  logs: [
    'apache2/error.log', 'php8.2-fpm.log', 'tomcat10/catalina.out', 'pricing/pricing.log', 'mysql/error.log',
    'node-app/server.log', 'flask-app/error.log', 'uwsgi/app/hello.log', 'ruby-app/puma.log',
    'rabbitmq/startup_log', 'rabbitmq/startup_err', 'memcached.log', 'auth.log',
  ],
  async check(lower) {
    const env = await readFile(join(lower, 'etc/flask-app/flask.env'), 'utf8')
    if (!env.includes(`SHOP_DB_PASSWORD=${PLANTED_SECRET}\n`)) {
      throw new Error('PLANTED_SECRET in host.ts and SECRET in build-stacks-rootfs.sh differ: make them equal')
    }
    const php = await readFile(join(lower, 'var/www/html/index.php'), 'utf8')
    if (!php.includes(STACK_MARKERS.php)) throw new Error('STACK_MARKERS and build-stacks-rootfs.sh differ: make them equal')
  },
}

export type StacksHostOptions = Omit<FixtureHostOptions, 'image'>

export function ensureStacksRootfs(): Promise<string> {
  return ensureRootfs(STACKS_IMAGE)
}

export function startStacksHost(options: StacksHostOptions): Promise<FixtureHost> {
  return startFixtureHost({...options, image: STACKS_IMAGE})
}

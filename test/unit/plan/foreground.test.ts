import {describe, expect, it} from 'vitest'
import {foreground} from '../../../src/plan/foreground.js'

describe('foreground: the container command from the observed one', () => {
  it('keeps a command that already stays in the foreground, word for word', () => {
    expect(foreground('python', ['/usr/bin/python3', '/opt/billing/app.py'])).toEqual({command: ['/usr/bin/python3', '/opt/billing/app.py'], changes: []})
    expect(foreground(undefined, ['x', '-d'])).toEqual({command: ['x', '-d'], changes: []})
  })

  it('turns nginx daemon mode off and keeps its other directives', () => {
    const out = foreground('nginx', ['/usr/sbin/nginx', '-g', 'daemon on; master_process on;'])
    expect(out.command).toEqual(['/usr/sbin/nginx', '-g', 'master_process on; daemon off;'])
    expect(out.changes[0]).toMatch(/daemon off/)
    expect(foreground('nginx', ['/usr/sbin/nginx']).command).toEqual(['/usr/sbin/nginx', '-g', 'daemon off;'])
  })

  it('drops the flags that detach, with their values', () => {
    expect(foreground('uwsgi', ['/usr/bin/uwsgi', '--ini', 'a.ini', '--daemonize', '/var/log/x.log']).command).toEqual(['/usr/bin/uwsgi', '--ini', 'a.ini'])
    expect(foreground('uwsgi', ['/usr/bin/uwsgi', '--daemonize=/var/log/x.log']).command).toEqual(['/usr/bin/uwsgi'])
    expect(foreground('haproxy', ['/usr/sbin/haproxy', '-f', '/etc/haproxy/haproxy.cfg', '-D', '-p', '/run/haproxy.pid']).command).toEqual(['/usr/sbin/haproxy', '-f', '/etc/haproxy/haproxy.cfg', '-p', '/run/haproxy.pid'])
    expect(foreground('redis', ['/usr/bin/redis-server', '/etc/redis/redis.conf', '--daemonize', 'yes']).command).toEqual(['/usr/bin/redis-server', '/etc/redis/redis.conf', '--daemonize', 'no'])
  })

  it('runs Apache through apache2ctl in the foreground, which reads envvars as the init script did', () => {
    expect(foreground('apache-mod-php', ['/usr/sbin/apache2', '-k', 'start']).command).toEqual(['/usr/sbin/apache2ctl', '-D', 'FOREGROUND'])
    expect(foreground('apache-httpd', ['/usr/sbin/httpd', '-DFOREGROUND']).changes).toEqual([])
    expect(foreground('apache-httpd', ['/usr/sbin/httpd']).command).toEqual(['/usr/sbin/httpd', '-D', 'FOREGROUND'])
  })
})

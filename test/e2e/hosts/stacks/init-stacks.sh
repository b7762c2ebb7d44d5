#!/bin/sh
# PID 1 of the "stacks" fixture host (installed as /usr/sbin/hoist-init by stacks-host.ts).
# Does what a Debian boot would leave behind: kernel filesystems mounted, the hostname set,
# the tmpfiles.d directories made, and each service started the way its systemd unit or init
# script starts it, as its usual user. Then it marks readiness (/run/hoist-ready) once every
# port listens, and on TERM stops the services and exits.
# The parts every fixture host shares are in ../init-lib.sh.
# Usage: hoist-init NAME   (or HOIST_HOSTNAME=NAME)
# shellcheck source=../init-lib.sh
. /usr/lib/hoist/init-lib.sh
NAME=${1:-${HOIST_HOSTNAME:-stacks}}
# sshd apache2 node mariadb rabbitmq gunicorn uwsgi tomcat java-jar haproxy php-fpm puma memcached
PORTS='22 80 3000 3306 5672 8000 8001 8080 8081 8404 9000 9292 11211'

signal_services() {
  signal_pidfile TERM /run/crond.pid
  signal_pidfile TERM /run/haproxy.pid
  signal_pidfile TERM /run/node-app.pid
  signal_pidfile TERM /run/flask-app.pid
  signal_pidfile INT /run/uwsgi/app/hello/pid # TERM would make uwsgi reload, not stop
  signal_pidfile TERM /run/ruby-app.pid
  signal_pidfile TERM /run/pricing.pid
  signal_pidfile TERM /run/tomcat10.pid
  signal_pidfile TERM /run/rabbitmq/pid
  signal_pidfile TERM /run/mysqld/mysqld.pid
  signal_pidfile TERM /run/memcached/memcached.pid
  signal_pidfile QUIT /run/php/php8.2-fpm.pid
  signal_pidfile TERM /run/apache2/apache2.pid
  signal_pidfile TERM /run/sshd.pid
}
boot_basics

# What systemd-tmpfiles (and the units' RuntimeDirectory=) would create for these services.
install -d -m 0755 -o www-data -g www-data /run/php
install -d -m 0755 -o mysql -g mysql /run/mysqld
install -d -m 0755 -o memcache -g memcache /run/memcached
install -d -m 2775 -o haproxy -g haproxy /run/haproxy
install -d -m 0755 -o rabbitmq -g rabbitmq /run/rabbitmq
install -d -m 0755 -o epmd -g epmd /run/epmd
install -d -m 0755 /run/uwsgi/app
install -d -m 0755 -o www-data -g www-data /run/uwsgi/app/hello

# Every daemon below is started in the background; what each waits for is its own affair
# (the JVMs and Erlang take seconds), so the slow ones go first.

start_sshd

# rabbitmq (init.d): epmd first, as its own user as epmd.socket would, then the broker.
start-stop-daemon --start --quiet --chuid epmd:epmd --exec /usr/bin/epmd -- -daemon ||
  log 'epmd failed'
env HOME=/var/lib/rabbitmq RABBITMQ_PID_FILE=/run/rabbitmq/pid \
  start-stop-daemon --start --quiet --background --chuid rabbitmq:rabbitmq --umask 027 \
  --chdir /var/lib/rabbitmq --pidfile /run/rabbitmq/pid --exec /usr/sbin/rabbitmq-server ||
  log 'rabbitmq failed'

# tomcat10 (systemd unit): the policy step as root, then tomcat-start.sh as tomcat.
install -d -m 0750 -o tomcat -g tomcat /var/cache/tomcat10
CATALINA_BASE=/var/lib/tomcat10 /usr/libexec/tomcat10/tomcat-update-policy.sh ||
  log 'tomcat10 policy failed'
env CATALINA_HOME=/usr/share/tomcat10 CATALINA_BASE=/var/lib/tomcat10 CATALINA_TMPDIR=/tmp \
  JAVA_OPTS=-Djava.awt.headless=true HOME=/var/lib/tomcat USER=tomcat LOGNAME=tomcat \
  start-stop-daemon --start --quiet --background --make-pidfile --pidfile /run/tomcat10.pid \
  --chuid tomcat:tomcat --chdir /var/lib/tomcat10 --output /var/log/tomcat10/catalina.out \
  --exec /bin/sh -- /usr/libexec/tomcat10/tomcat-start.sh ||
  log 'tomcat10 failed'

# The pricing service (its unit): java -jar as app.
start-stop-daemon --start --quiet --background --make-pidfile --pidfile /run/pricing.pid \
  --chuid app:app --chdir /opt/app --output /var/log/pricing/pricing.log \
  --exec /usr/bin/java -- -jar /opt/app/app.jar || log 'pricing (java -jar) failed'

# mariadb (systemd unit): mariadbd as mysql. It logs to stderr (the journal) there.
start-stop-daemon --start --quiet --background --chuid mysql:mysql --umask 007 \
  --output /var/log/mysql/error.log --exec /usr/sbin/mariadbd || log 'mariadb failed'

# apache2 + mod_php (systemd unit): apachectl start; www-data children.
/usr/sbin/apachectl start || log 'apache2 failed'

# php-fpm (init.d): its pool on 127.0.0.1:9000, workers as www-data.
/usr/sbin/php-fpm8.2 --daemonize --fpm-config /etc/php/8.2/fpm/php-fpm.conf || log 'php-fpm failed'

# memcached (init.d): the package's start script reads /etc/memcached.conf.
/usr/share/memcached/scripts/start-memcached /etc/memcached.conf /run/memcached.pid ||
  log 'memcached failed'

# node (its unit).
env HOME=/srv/node-app USER=node LOGNAME=node \
  start-stop-daemon --start --quiet --background --make-pidfile --pidfile /run/node-app.pid \
  --chuid node:node --chdir /srv/node-app --output /var/log/node-app/server.log \
  --exec /usr/bin/node -- /srv/node-app/server.js || log 'node failed'

# gunicorn + Flask (its unit), with the environment its EnvironmentFile gives it.
(
  set -a
  # shellcheck source=/dev/null
  . /etc/flask-app/flask.env
  set +a
  exec env HOME=/srv/flask-app USER=flask LOGNAME=flask \
    start-stop-daemon --start --quiet --background --make-pidfile --pidfile /run/flask-app.pid \
    --chuid flask:flask --chdir /srv/flask-app \
    --exec /usr/bin/gunicorn -- --config /etc/flask-app/gunicorn.conf.py app:app
) || log 'gunicorn failed'

# uwsgi (init.d, per app in apps-enabled): root master dropping to www-data (default.ini).
UWSGI_DEB_CONFNAMESPACE=app UWSGI_DEB_CONFNAME=hello \
  start-stop-daemon --start --quiet --pidfile /run/uwsgi/app/hello/pid --exec /usr/bin/uwsgi -- \
  --ini /usr/share/uwsgi/conf/default.ini --ini /etc/uwsgi/apps-enabled/hello.ini \
  --daemonize /var/log/uwsgi/app/hello.log >/dev/null 2>&1 || log 'uwsgi failed'

# puma (its unit).
env HOME=/srv/ruby-app USER=ruby LOGNAME=ruby \
  start-stop-daemon --start --quiet --background --make-pidfile --pidfile /run/ruby-app.pid \
  --chuid ruby:ruby --chdir /srv/ruby-app --output /var/log/ruby-app/puma.log \
  --exec /usr/bin/puma -- -C /srv/ruby-app/config/puma.rb || log 'puma failed'

# haproxy (init.d): -D, dropping to haproxy itself (global user/group).
/usr/sbin/haproxy -f /etc/haproxy/haproxy.cfg -D -p /run/haproxy.pid || log 'haproxy failed'

/usr/sbin/cron || log 'cron failed'

# Ready once each port has listened, logged as it comes up: the boot's timing is part of the
# fixture.
up=
check_ports() {
  listening=$(ss -Hltn | awk '{print $4}')
  missing=
  for p in $PORTS; do
    case " $up " in *" $p "*) continue ;; esac
    if echo "$listening" | grep -q ":$p\$"; then
      up="$up $p"
      log "port $p listening after $(ms) ms"
    else
      missing="$missing $p"
    fi
  done
}
wait_for_ports 50
serve

#!/usr/bin/env bash
# Builds, once, the Debian 12 root filesystem of the "stacks" fixture host: one box running
# each application stack Hoist must recognise, each with a tiny real application, run as its
# usual user on its usual port (init-stacks.sh starts them):
#   apache2 + mod_php :80, php-fpm 127.0.0.1:9000, tomcat10 :8080, a java -jar app :8081,
#   node :3000, gunicorn/Flask :8000, uwsgi :8001, puma :9292, mariadb 127.0.0.1:3306,
#   memcached 127.0.0.1:11211, rabbitmq :5672, haproxy :8404 (-> node), a cron batch job.
# Same machinery as ../build-rootfs.sh (../rootfs-lib.sh), with its own cache file, stamp
# and lock: the tarball is rebuilt only when missing or when this script or rootfs-lib.sh
# changes, and the same tree is kept unpacked beside it as the hosts' read-only overlay lowerdir.
set -euo pipefail

# shellcheck source=../rootfs-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../rootfs-lib.sh"
# Keep in sync with PLANTED_SECRET and STACK_MARKERS in stacks-host.ts (checked on start).
SECRET=s3cr3t-Planted-7f2c9a
PHP_MARKER=hoist-stack-apache-php-5c1d
TOMCAT_MARKER=hoist-stack-tomcat-8e2a
JAR_MARKER=hoist-stack-java-jar-1f7b
NODE_MARKER=hoist-stack-node-3a9c
FLASK_MARKER=hoist-stack-flask-6d04
UWSGI_MARKER=hoist-stack-uwsgi-9b3e
PUMA_MARKER=hoist-stack-puma-2e8f

# Its own lock: building this (minutes) does not hold up the legacy rootfs' build.
rootfs_begin bookworm-stacks

MARIADB_PID=/run/mysqld/mysqld.pid

cleanup() {
  # A mariadbd left running by a failed build keeps the mounts below busy.
  if [[ -f $ROOT$MARIADB_PID ]]; then
    kill "$(cat "$ROOT$MARIADB_PID")" 2>/dev/null || true
    sleep 2
  fi
  rootfs_cleanup
}
trap cleanup EXIT

app_user() { # app_user NAME HOME: a system account with its own group, no login shell
  in_root useradd --system --user-group --home-dir "$2" --shell /usr/sbin/nologin "$1"
}

rootfs_bootstrap
# default-jdk-headless only to build the jar below; removed again, the JRE stays.
apt_install openssh-server sudo procps iproute2 python3 cron \
  apache2 libapache2-mod-php php8.2-fpm \
  default-jre-headless default-jdk-headless tomcat10 \
  nodejs gunicorn python3-gunicorn python3-flask uwsgi uwsgi-plugin-python3 puma \
  mariadb-server memcached rabbitmq-server haproxy
phase 'packages'

# --- identity, users, SSH access --------------------------------------------------------
rootfs_identity stacks
app_user app /opt/app
app_user node /srv/node-app
app_user flask /srv/flask-app
app_user ruby /srv/ruby-app
app_user reports /opt/reports
rootfs_ssh_access

# A systemd unit per in-house app, as such a box would have: inert here (init-stacks.sh
# starts the apps the same way by hand), but what a scan reads to learn how they run.
app_unit() { # app_unit NAME DESCRIPTION USER WORKDIR EXECSTART [ENVFILE]
  put 0644 root:root "/etc/systemd/system/$1.service" <<EOF
[Unit]
Description=$2
After=network.target

[Service]
Type=simple
User=$3
Group=$3
WorkingDirectory=$4
${6:+EnvironmentFile=$6
}ExecStart=$5
Restart=on-failure

[Install]
WantedBy=multi-user.target
EOF
  mkdir -p "$ROOT/etc/systemd/system/multi-user.target.wants"
  ln -sf "/etc/systemd/system/$1.service" "$ROOT/etc/systemd/system/multi-user.target.wants/$1.service"
}

# --- apache2 + mod_php: the shop's storefront ------------------------------------------
rm -f "$ROOT/var/www/html/index.html"
put 0644 root:root /var/www/html/index.php <<EOF
<?php
// Storefront of the legacy shop (mod_php).
header('Content-Type: text/plain');
echo "$PHP_MARKER: storefront on PHP " . PHP_VERSION . "\n";
EOF
in_root a2query -m php8.2 >/dev/null
in_root a2query -m mpm_prefork >/dev/null

# --- php-fpm: its pool on TCP, so it is a listener ------------------------------------
sed -i 's|^listen = /run/php/php8.2-fpm.sock$|listen = 127.0.0.1:9000|' "$ROOT/etc/php/8.2/fpm/pool.d/www.conf"
grep -q '^listen = 127.0.0.1:9000$' "$ROOT/etc/php/8.2/fpm/pool.d/www.conf"
in_root php-fpm8.2 -t >/dev/null 2>&1

# --- tomcat10: a tiny ROOT webapp -----------------------------------------------------
put 0644 root:root /var/lib/tomcat10/webapps/ROOT/index.html <<EOF
<!doctype html>
<html><head><title>Catalogue</title></head>
<body><h1>Catalogue</h1><p>$TOMCAT_MARKER</p></body></html>
EOF

# --- java -jar app, built here with the JDK, which then goes --------------------------
mkdir -p "$ROOT/tmp/appsrc"
cat >"$ROOT/tmp/appsrc/App.java" <<EOF
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Pricing service: the kind of self-contained jar a legacy box runs as its own user. */
public class App {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getProperty("server.port", "8081"));
        byte[] body = "$JAR_MARKER: pricing service up\n".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 50);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }
}
EOF
in_root sh -c 'cd /tmp/appsrc && javac --release 17 App.java && jar --create --file app.jar --main-class App App*.class'
install -d -m 0755 "$ROOT/opt/app"
install -m 0644 "$ROOT/tmp/appsrc/app.jar" "$ROOT/opt/app/app.jar"
rm -rf "$ROOT/tmp/appsrc"
in_root apt-get -q -y purge default-jdk-headless openjdk-17-jdk-headless >>"$BUILD/apt.log" 2>&1
in_root apt-get -q -y autoremove --purge >>"$BUILD/apt.log" 2>&1
[[ ! -e $ROOT/usr/lib/jvm/java-17-openjdk-amd64/bin/javac && -x $ROOT/usr/lib/jvm/java-17-openjdk-amd64/bin/java ]] ||
  { echo 'build-stacks-rootfs: expected the JRE without the JDK' >&2; exit 1; }
install -d -m 0750 "$ROOT/var/log/pricing"
in_root chown app:app /var/log/pricing
app_unit pricing 'Pricing service (java -jar)' app /opt/app '/usr/bin/java -jar /opt/app/app.jar'

# --- node ------------------------------------------------------------------------------
put 0644 root:root /srv/node-app/server.js <<EOF
'use strict'
// Web frontend API (Debian's nodejs), behind haproxy on :8404.
const http = require('http')
const port = Number(process.env.PORT || 3000)
http.createServer((req, res) => {
  res.writeHead(200, {'Content-Type': 'text/plain'})
  res.end('$NODE_MARKER: frontend api up\n')
}).listen(port)
EOF
put 0644 root:root /srv/node-app/package.json <<'EOF'
{"name": "node-app", "version": "1.4.2", "private": true, "main": "server.js", "scripts": {"start": "node server.js"}}
EOF
install -d -m 0750 "$ROOT/var/log/node-app"
in_root chown node:node /var/log/node-app
app_unit node-app 'Frontend API (node)' node /srv/node-app '/usr/bin/node /srv/node-app/server.js'

# --- gunicorn + Flask -------------------------------------------------------------------
put 0644 root:root /srv/flask-app/app.py <<EOF
"""Orders API (Flask under gunicorn)."""
import os

from flask import Flask

app = Flask(__name__)
# Read like a real app would; never echoed back.
db_password = os.environ.get('SHOP_DB_PASSWORD')


@app.route('/')
def index():
    return '$FLASK_MARKER: orders api up\n', 200, {'Content-Type': 'text/plain'}
EOF
put 0644 root:root /etc/flask-app/gunicorn.conf.py <<'EOF'
bind = '0.0.0.0:8000'
workers = 2
wsgi_app = 'app:app'
chdir = '/srv/flask-app'
accesslog = '/var/log/flask-app/access.log'
errorlog = '/var/log/flask-app/error.log'
EOF
put 0640 root:flask /etc/flask-app/flask.env <<EOF
SHOP_DB_HOST=127.0.0.1
SHOP_DB_NAME=shop
SHOP_DB_USER=shop
SHOP_DB_PASSWORD=$SECRET
EOF
install -d -m 0750 "$ROOT/var/log/flask-app"
in_root chown flask:flask /var/log/flask-app
app_unit flask-app 'Orders API (gunicorn)' flask /srv/flask-app \
  '/usr/bin/gunicorn --config /etc/flask-app/gunicorn.conf.py app:app' /etc/flask-app/flask.env

# --- uwsgi: Debian's apps-enabled layout, started like its init script -----------------
put 0644 root:root /srv/uwsgi-app/hello.py <<EOF
"""Status page (plain WSGI under uwsgi)."""


def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'$UWSGI_MARKER: status page up\n']
EOF
put 0644 root:root /etc/uwsgi/apps-available/hello.ini <<'EOF'
[uwsgi]
plugins = python3
http-socket = :8001
chdir = /srv/uwsgi-app
wsgi-file = /srv/uwsgi-app/hello.py
processes = 2
EOF
ln -sf ../apps-available/hello.ini "$ROOT/etc/uwsgi/apps-enabled/hello.ini"

# --- puma: a rack app -------------------------------------------------------------------
put 0644 root:root /srv/ruby-app/config.ru <<EOF
# Inventory service (rack under puma).
run lambda { |_env| [200, {'content-type' => 'text/plain'}, ["$PUMA_MARKER: inventory up\n"]] }
EOF
put 0644 root:root /srv/ruby-app/config/puma.rb <<'EOF'
directory '/srv/ruby-app'
rackup '/srv/ruby-app/config.ru'
environment 'production'
bind 'tcp://0.0.0.0:9292'
threads 1, 4
pidfile '/srv/ruby-app/tmp/puma.pid'
EOF
install -d -m 0755 "$ROOT/srv/ruby-app/tmp"
in_root chown ruby:ruby /srv/ruby-app/tmp
install -d -m 0750 "$ROOT/var/log/ruby-app"
in_root chown ruby:ruby /var/log/ruby-app
app_unit ruby-app 'Inventory service (puma)' ruby /srv/ruby-app '/usr/bin/puma -C /srv/ruby-app/config/puma.rb'

# --- haproxy in front of the node app -------------------------------------------------
sed -i 's/^\tdaemon$/\tdaemon\n\t# Fixture hosts: nofile is capped at 20000; size maxconn below it.\n\tmaxconn 2000/' \
  "$ROOT/etc/haproxy/haproxy.cfg"
cat >>"$ROOT/etc/haproxy/haproxy.cfg" <<'EOF'

frontend web
	bind :8404
	default_backend node_app

backend node_app
	server node1 127.0.0.1:3000 check
EOF
in_root haproxy -c -q -f /etc/haproxy/haproxy.cfg

# --- mariadb: its unit asks systemd for nofile 32768; root cannot raise it here --------
put 0644 root:root /etc/mysql/mariadb.conf.d/60-fixture-limits.cnf <<'EOF'
# Fixture hosts: the hard nofile limit is 20000 and cannot be raised; stay below it.
[mariadbd]
open_files_limit = 16384
EOF
# No log_error in Debian's config (the journal has it); init-stacks.sh sends stderr here.
install -d -m 2750 "$ROOT/var/log/mysql"
in_root chown mysql:adm /var/log/mysql

# --- the nightly report: a cron-driven batch job -------------------------------------
install -d -m 0755 "$ROOT/opt/reports/bin"
install -d -m 0750 "$ROOT/var/lib/reports"
in_root chown reports:reports /var/lib/reports
put 0755 root:root /opt/reports/bin/nightly.sh <<'EOF'
#!/bin/sh
# Nightly sales report: counts yesterday's orders from the node API's log and the disk use.
set -eu
out=/var/lib/reports/report-$(date +%F).txt
{
  echo "report generated $(date -Is)"
  df -P /srv /var/lib/mysql
} >"$out"
EOF
put 0644 root:root /etc/cron.d/nightly-report <<'EOF'
# Nightly sales report for the shop (REP-77)
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin
15 1 * * * reports /opt/reports/bin/nightly.sh
EOF
phase 'content'

# --- the shop database: mariadbd started briefly, socket only (no TCP port on the build
# machine), shut down cleanly so it needs no recovery at first boot ----------------------
install -d -o "$(stat -c %u "$ROOT/var/lib/mysql")" -g "$(stat -c %g "$ROOT/var/lib/mysql")" -m 0755 \
  "$ROOT/run/mysqld"
chroot --userspec=mysql:mysql "$ROOT" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
  /usr/sbin/mariadbd --skip-networking --pid-file=$MARIADB_PID >"$BUILD/mariadb.log" 2>&1 &
for _ in $(seq 100); do
  in_root mariadb-admin --silent ping >/dev/null 2>&1 && break
  sleep 0.2
done
in_root mariadb -v -v --batch <<EOF >>"$BUILD/mariadb.log" 2>&1 || { tail -n 30 "$BUILD/mariadb.log" >&2; exit 1; }
CREATE DATABASE shop;
CREATE USER 'shop'@'localhost' IDENTIFIED BY '$SECRET';
CREATE USER 'shop'@'127.0.0.1' IDENTIFIED BY '$SECRET';
GRANT ALL ON shop.* TO 'shop'@'localhost', 'shop'@'127.0.0.1';
USE shop;
CREATE TABLE products (id INT AUTO_INCREMENT PRIMARY KEY, sku VARCHAR(32) NOT NULL, price_cents INT NOT NULL);
INSERT INTO products (sku, price_cents) VALUES ('TEA-001', 450), ('MUG-002', 1200), ('POT-003', 3400);
EOF
in_root mariadb-admin shutdown
for _ in $(seq 100); do [[ -f $ROOT$MARIADB_PID ]] || break; sleep 0.2; done
[[ ! -f $ROOT$MARIADB_PID ]] || { echo 'build-stacks-rootfs: mariadbd did not stop' >&2; exit 1; }
wait
phase 'mariadb database'

in_root apt-get clean
# Hosts get their keys at start: none in the tarball.
rm -f "$ROOT/root/.ssh/authorized_keys" "$ROOT/home/hoist/.ssh/authorized_keys"
rootfs_finish

#!/usr/bin/python3
"""In-house billing API: stands in for the kind of app a legacy box runs as its own user."""
import configparser
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

conf = configparser.ConfigParser()
if not conf.read('/etc/billing/app.conf'):
    raise SystemExit('cannot read /etc/billing/app.conf')
host, port = conf['server']['listen'].rsplit(':', 1)
# Read like a real app would; never echoed back.
db_password = os.environ.get('BILLING_DB_PASSWORD') or conf['database']['db_password']
BODY = b'hoist-fixture-billing-app-3e9b: invoices service up\n'


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)


ThreadingHTTPServer((host, int(port)), Handler).serve_forever()

#!/bin/sh
# Nightly invoice export for finance; --verify only counts rows.
set -eu
if [ "${1:-}" = --verify ]; then
  exec psql -At -d billing -c 'select count(*) from invoices'
fi
psql -At -d billing -c '\copy (select * from invoices order by id) to stdout with csv' \
  >"/var/lib/billing/exports/invoices-$(date +%F).csv"

#!/bin/sh
# The baseline for loading an organization: what a shell script (or the Atlas CLI's --page/--limit)
# does, one `curl --digest` per page of 500, one after another, each a new Digest handshake. It asks
# for every membership status, as atlas-roles does (Atlas lists ACTIVE and PENDING users only otherwise).
# Usage: curl-page-loop.sh BASE_URL ORG_ID PUBLIC_KEY PRIVATE_KEY PAGES  (bodies go to stdout)
set -eu
BASE=$1 ORG=$2 PUB=$3 PRIV=$4 PAGES=$5
STATUSES='&orgMembershipStatuses=ACTIVE&orgMembershipStatuses=PENDING&orgMembershipStatuses=INVITATION_EXPIRED&orgMembershipStatuses=INVITATION_REJECTED'
page=1
while [ "$page" -le "$PAGES" ]; do
    curl -sS --fail --digest -u "$PUB:$PRIV" -H 'Accept: application/vnd.atlas.2025-02-19+json' \
        "$BASE/api/atlas/v2/orgs/$ORG/users?itemsPerPage=500&pageNum=$page$STATUSES"
    echo
    page=$((page + 1))
done

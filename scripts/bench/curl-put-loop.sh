#!/bin/sh
# The baseline for a bulk role change: one `curl --digest` PUT per user, one after another.
# Usage: curl-put-loop.sh BASE_URL ORG_ID PUBLIC_KEY PRIVATE_KEY CHANGES_FILE
# CHANGES_FILE has one line per user: USER_ID, a tab, the JSON body ({"orgRoles": [...]}).
# Prints one HTTP status per line.
set -eu
BASE=$1 ORG=$2 PUB=$3 PRIV=$4 FILE=$5
tab=$(printf '\t')
while IFS="$tab" read -r user body; do
    curl -sS -o /dev/null -w '%{http_code}\n' --digest -u "$PUB:$PRIV" -X PUT \
        -H 'Accept: application/vnd.atlas.2023-01-01+json' -H 'Content-Type: application/json' \
        --data-binary "$body" "$BASE/api/atlas/v2/orgs/$ORG/users/$user/roles"
done <"$FILE"

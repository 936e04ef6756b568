#!/bin/sh
# Writes the values that kustomization.yaml's secretGenerator and configMapGenerator read, each into its own
# file under deploy/k8s/secrets/ (ignored by git, readable by the owner only):
#   - PostgreSQL's owner, app and worker passwords, the gateway's admin token and its report-signing key:
#     32 random bytes each (hex), made here;
#   - the object store's endpoint, region, bucket and credentials: given, since the store is not part of
#     these manifests (README.md, "Object store").
# A value already written is kept, so running it again never changes a password that PostgreSQL or a
# client already holds; to rotate one, delete its file and run it again.
#
#   S3_ENDPOINT=https://s3.example.org S3_ACCESS_KEY=... S3_SECRET_KEY=... deploy/k8s/make-secrets.sh
#   optional: S3_REGION (default us-east-1), S3_BUCKET (default triplane)
set -eu

dir="$(cd "$(dirname "$0")" && pwd)/secrets"
umask 077
mkdir -p "$dir"

random() {
    od -An -N32 -tx1 /dev/urandom | tr -d ' \n'
}

# write NAME VALUE: the file secrets/NAME holds exactly VALUE (no newline: kustomize takes the whole file)
write() {
    printf '%s' "$2" > "$dir/$1"
    echo "wrote secrets/$1"
}

# generated NAME: a random value, unless one is there already
generated() {
    if [ -s "$dir/$1" ]; then
        echo "kept  secrets/$1"
    else
        write "$1" "$(random)"
    fi
}

# required VARIABLE NAME: stops, before anything is written, when VARIABLE is unset and secrets/NAME absent
required() {
    if [ -z "$(printenv "$1" || true)" ] && [ ! -s "$dir/$2" ]; then
        echo "make-secrets.sh: $1 is not set and secrets/$2 does not exist: give the object store's $1" >&2
        exit 2
    fi
}

# given NAME VALUE: VALUE when set, else the file as it is
given() {
    if [ -n "$2" ]; then
        write "$1" "$2"
    else
        echo "kept  secrets/$1"
    fi
}

required S3_ENDPOINT object-store-endpoint
required S3_ACCESS_KEY s3-access-key
required S3_SECRET_KEY s3-secret-key

generated postgres-owner-password
generated postgres-app-password
generated postgres-worker-password
generated gateway-admin-token
generated gateway-report-signing-key
given s3-access-key "${S3_ACCESS_KEY:-}"
given s3-secret-key "${S3_SECRET_KEY:-}"
given object-store-endpoint "${S3_ENDPOINT:-}"
given object-store-region "${S3_REGION:-$(cat "$dir/object-store-region" 2>/dev/null || echo us-east-1)}"
given object-store-bucket "${S3_BUCKET:-$(cat "$dir/object-store-bucket" 2>/dev/null || echo triplane)}"

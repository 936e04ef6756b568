#!/bin/sh
# Writes the values that kustomization.yaml's secretGenerator and configMapGenerator read, each into its own
# file under deploy/k8s/secrets/ (ignored by git, readable by the owner only):
#   - PostgreSQL's owner, app and worker passwords, the gateway's admin token and its report-signing key:
#     32 random bytes each (hex), made here;
#   - the object store's endpoint, region, bucket and credentials: given for a store outside these
#     manifests (README.md, "Object store"); or, with OBJECT_STORE=in-cluster, for the store of
#     components/object-store: its Service as the endpoint and a random access and secret key, which
#     the store and the services both read (README.md, "In-cluster object store").
# A value already written is kept, so running it again never changes a password that PostgreSQL or a
# client already holds; to rotate one, delete its file and run it again.
#
#   S3_ENDPOINT=https://s3.example.org S3_ACCESS_KEY=... S3_SECRET_KEY=... deploy/k8s/make-secrets.sh
#   OBJECT_STORE=in-cluster deploy/k8s/make-secrets.sh
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

# the Service of components/object-store (object-store.yaml), in the services' namespace
in_cluster_endpoint=http://object-store:8080

bucket="${S3_BUCKET:-$(cat "$dir/object-store-bucket" 2>/dev/null || echo triplane)}"
# why: S3's bucket naming rules; the in-cluster store makes the bucket a directory of that name
case "$bucket" in
    *[!a-z0-9.-]* | [.-]* | *[.-] | ?? | ? | "")
        echo "make-secrets.sh: S3_BUCKET '$bucket' is not a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, beginning and ending with a letter or digit" >&2
        exit 2 ;;
esac
if [ "${#bucket}" -gt 63 ]; then
    echo "make-secrets.sh: S3_BUCKET '$bucket' is longer than 63 characters" >&2
    exit 2
fi

case "${OBJECT_STORE:-external}" in
    external)
        required S3_ENDPOINT object-store-endpoint
        required S3_ACCESS_KEY s3-access-key
        required S3_SECRET_KEY s3-secret-key ;;
    in-cluster)
        for given_variable in S3_ENDPOINT S3_ACCESS_KEY S3_SECRET_KEY; do
            if [ -n "$(printenv "$given_variable" || true)" ]; then
                echo "make-secrets.sh: $given_variable is set, but OBJECT_STORE=in-cluster makes the endpoint and the keys; unset one of them" >&2
                exit 2
            fi
        done ;;
    *)
        echo "make-secrets.sh: OBJECT_STORE must be external (the default: a store outside the cluster, S3_ENDPOINT and its keys given) or in-cluster (components/object-store), is '$OBJECT_STORE'" >&2
        exit 2 ;;
esac

generated postgres-owner-password
generated postgres-app-password
generated postgres-worker-password
generated gateway-admin-token
generated gateway-report-signing-key
if [ "${OBJECT_STORE:-external}" = in-cluster ]; then
    # why: keys written for another store (an earlier run for an outside endpoint) are not reused for this one
    if [ -s "$dir/object-store-endpoint" ] && [ "$(cat "$dir/object-store-endpoint")" != "$in_cluster_endpoint" ]; then
        rm -f "$dir/s3-access-key" "$dir/s3-secret-key"
    fi
    generated s3-access-key
    generated s3-secret-key
    given object-store-endpoint "$in_cluster_endpoint"
else
    given s3-access-key "${S3_ACCESS_KEY:-}"
    given s3-secret-key "${S3_SECRET_KEY:-}"
    given object-store-endpoint "${S3_ENDPOINT:-}"
fi
given object-store-region "${S3_REGION:-$(cat "$dir/object-store-region" 2>/dev/null || echo us-east-1)}"
given object-store-bucket "$bucket"

# Sourced by the DJL benchmark scripts: builds the benchmarks module and copies its jar and
# dependencies into a temporary directory that is removed on exit. Sets WORK, BENCHMARKS_CP (a
# java -cp value) and TUNABLES (the GLIBC_TUNABLES value the gpu-worker runs with, NativeAllocator).
# Expects ROOT (the repository). Maven's output goes to stderr: stdout carries the results.
TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1
(cd "$ROOT" && mvn -q -B -pl benchmarks -am install -DskipTests) >&2
# why: a copy, so that a rebuild during the run cannot change the classes under a running JVM
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT/benchmarks/target/triplane-benchmarks.jar" "$WORK/"
mkdir "$WORK/lib"
tr ':' '\n' < "$ROOT/benchmarks/target/classpath.txt" | xargs -I{} cp {} "$WORK/lib/"
BENCHMARKS_CP="$WORK/triplane-benchmarks.jar:$WORK/lib/*"

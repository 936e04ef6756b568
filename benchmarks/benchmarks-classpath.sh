# Sourced by the benchmark scripts: builds the benchmarks module and copies its jar and dependencies
# into a temporary directory that is removed on exit. Sets WORK and BENCHMARKS_CP (a java -cp value).
# Expects ROOT (the repository). Maven's output goes to stderr: stdout carries the results.
(cd "$ROOT" && mvn -q -B -pl benchmarks -am install -DskipTests) >&2
# why: a copy, so that a rebuild during the run cannot change the classes under a running JVM
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT/benchmarks/target/triplane-benchmarks.jar" "$WORK/"
mkdir "$WORK/lib"
tr ':' '\n' < "$ROOT/benchmarks/target/classpath.txt" | xargs -I{} cp {} "$WORK/lib/"
BENCHMARKS_CP="$WORK/triplane-benchmarks.jar:$WORK/lib/*"

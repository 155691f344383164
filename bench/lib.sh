# bench/lib.sh: what every benchmark script shares: run from the top folder, a
# scratch folder removed at exit, the results folder, and timing helpers.
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
mkimage="$top/mkimage"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p bench/results

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# SPDX-License-Identifier: GPL-2.0
# Sourced by selftests/check.sh. No VM in either stage.
#  demo-script  make demo's script (demo/demo.sh) parses, and
#               selftests/e2e/lib.sh still provides the set-up it sources
#  docs-rst     every Documentation/*.rst goes through docutils without a
#               single message (python3-docutils, from make deps)

tap_stage demo-script "$top/demo/demo.sh" --check

docs_rst_check() {
	local f n=0 rc=0 out
	local files=("$top"/Documentation/*.rst)
	echo "TAP version 13"
	echo "1..${#files[@]}"
	for f in "${files[@]}"; do
		n=$((n + 1))
		if out=$(python3 -m docutils --halt=info --report=info \
				"$f" /dev/null 2>&1); then
			echo "ok $n - docs: ${f#"$top"/} is clean reStructuredText"
		else
			echo "not ok $n - docs: ${f#"$top"/} is clean reStructuredText"
			printf '%s\n' "$out" | sed 's/^/# /'
			rc=1
		fi
	done
	return $rc
}
tap_stage docs-rst docs_rst_check

#!/usr/bin/env bash
# Install everything the test suite needs, then run all of it (the README's test command; CI runs it too).
set -uo pipefail
cd "$(dirname "$0")/.."

# Headless Chromium for the browser tests of the HTML views and the query page (Debian packages).
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium + chromium-driver (apt)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } >/dev/null \
        || echo "warning: could not install chromium; browser tests will fail" >&2
fi

# Virtuoso open source for the second remote backend's tests (tests/test_virtuoso.py; Debian package). The
# tests start their own instance in a temporary folder; the package's system service is not used.
if ! command -v virtuoso-t >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    echo "installing virtuoso-opensource (apt)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource; } >/dev/null \
        || echo "warning: could not install virtuoso-opensource; the Virtuoso tests will fail on CI" >&2
fi

python -m pip install -q -e ".[test]" || exit 1

# The KGX validator (tests/test_kgx_validator.py) in an environment of its own: kgx cannot share the project's
# (README, "Dependencies and why"). Installed here, once; the tests run it offline.
[ -x .kgx-venv/bin/python ] || python -m venv .kgx-venv || exit 1
.kgx-venv/bin/python -m pip install -q -r scripts/kgx-requirements.txt || exit 1

# Habits: the configured ruff rules on the code, and mypy on the lower layers ([tool.mypy] files).
python -m ruff check kg tests benchmarks notebooks/run.py || exit 1
python -m mypy || exit 1

python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
    echo "error: pytest collected no tests" >&2
    exit 1
fi
exit "$rc"

#!/bin/bash
# Builds the .deb (unless SKIP_BUILD=1 and one exists) and checks it without installing it:
# contents and modes (dpkg-deb -c), control fields (dpkg-deb -I), maintainer-script syntax, the
# shipped hub.conf parses cleanly, the extracted launcher runs, the unit passes systemd-analyze
# verify, and lintian/shellcheck when they are installed (not required).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$ROOT"
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
check() { local what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi; }

deb=$(compgen -G "target/deb/tetheritall-hub_*_all.deb" | head -n 1 || true)
if [[ "${SKIP_BUILD:-0}" != 1 || -z "$deb" ]]; then
    deb=$(packaging/build-deb.sh | tail -n 1)
fi
echo "checking $deb"

contents=$(dpkg-deb -c "$deb")
info=$(dpkg-deb -I "$deb")
has() { grep -Eq -- "$1" <<< "$contents"; }

check "launcher /usr/bin/tetheritall-hub is 0755" has '^-rwxr-xr-x root/root .* \./usr/bin/tetheritall-hub$'
check "unit in /lib/systemd/system" has ' \./lib/systemd/system/tetheritall-hub\.service$'
check "/etc/default/tetheritall-hub 0640" has '^-rw-r----- root/root .* \./etc/default/tetheritall-hub$'
check "/etc/tetheritall-hub/hub.conf 0640" has '^-rw-r----- root/root .* \./etc/tetheritall-hub/hub\.conf$'
check "daemon jar" has ' \./usr/share/tetheritall-hub/lib/tetheritall-daemon-[^/]*\.jar$'
for dep in tetheritall-radios tetheritall-store tetheritall-drivers tinylog-impl slf4j-tinylog hivemq-mqtt-client \
        californium-core chronicle-map mapdb jssc pi4j-core pi4j-plugin-mock micrometer-registry-prometheus jna; do
    check "runtime jar $dep" has " \./usr/share/tetheritall-hub/lib/$dep-[^/]*\.jar$"
done
# shellcheck disable=SC2016 # $1 is expanded by the inner bash
check "no test jars" bash -c '! grep -Eq -- "-tests\.jar$|junit" <<< "$1"' _ "$contents"
check "copyright" has ' \./usr/share/doc/tetheritall-hub/copyright$'
# shellcheck disable=SC2016
check "all files owned by root" bash -c '! grep -v " root/root " <<< "$1"' _ "$contents"

check "Architecture: all" grep -q '^ Architecture: all$' <<< "$info"
check "Depends on Java 17" grep -q '^ Depends: openjdk-17-jre-headless | java17-runtime-headless' <<< "$info"
check "conffiles listed" grep -Eq '^ +[0-9]+ bytes, +2 lines +conffiles' <<< "$info"

work=$(mktemp -d "${TMPDIR:-/tmp}/tetheritall-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/root"
dpkg-deb -e "$deb" "$work/DEBIAN"
check "conffiles content" diff <(printf '/etc/default/tetheritall-hub\n/etc/tetheritall-hub/hub.conf\n') "$work/DEBIAN/conffiles"
for s in postinst prerm postrm; do
    check "$s: sh -n" sh -n "$work/DEBIAN/$s"
done

# The extracted launcher and jars run, and the shipped hub.conf loads with no error and no warning.
lib="$work/root/usr/share/tetheritall-hub/lib"
check "launcher runs 'version'" env HUB_LIB_DIR="$lib" "$work/root/usr/bin/tetheritall-hub" version
if cc_err=$(HUB_LIB_DIR="$lib" HUB_PROFILE=testing HUB_STATE_DIR="$work/state" HUB_ID=deb-test \
        "$work/root/usr/bin/tetheritall-hub" check-config --config "$work/root/etc/tetheritall-hub/hub.conf" 2>&1 >/dev/null) \
        && [[ -z "$cc_err" ]]; then
    ok "shipped hub.conf: check-config clean"
else
    bad "shipped hub.conf: check-config: $cc_err"
fi
# shellcheck disable=SC2016
check "every hub.conf line is a comment" bash -c '! grep -Ev "^(#.*)?$" "$1"' _ "$work/root/etc/tetheritall-hub/hub.conf"

if command -v systemd-analyze >/dev/null; then
    # Verify a copy whose ExecStart points at the extracted launcher (verify checks that it exists);
    # everything else is the shipped unit byte for byte. (--root would also need sysinit.target & co.)
    mkdir -p "$work/unit"
    sed "s#^ExecStart=/usr/bin/tetheritall-hub #ExecStart=$work/root/usr/bin/tetheritall-hub #" \
        "$work/root/lib/systemd/system/tetheritall-hub.service" > "$work/unit/tetheritall-hub.service"
    if out=$(systemd-analyze verify "$work/unit/tetheritall-hub.service" 2>&1) && [[ -z "$out" ]]; then
        ok "systemd-analyze verify"
    else
        bad "systemd-analyze verify: $out"
    fi
else
    echo "skip systemd-analyze (not installed)"
fi
if command -v shellcheck >/dev/null; then
    check "shellcheck launcher and scripts" shellcheck -s bash bin/tetheritall-hub bin/tetheritall-hub-dev packaging/*.sh
    check "shellcheck maintainer scripts" shellcheck -s sh packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm
else
    echo "skip shellcheck (not installed)"
fi
if command -v lintian >/dev/null; then
    lintian --no-tag-display-limit "$deb" || echo "lintian reported issues (informational)"
else
    echo "skip lintian (not installed)"
fi

if [[ $fail != 0 ]]; then
    echo "test-deb: FAILED"
    exit 1
fi
echo "test-deb: all checks passed"

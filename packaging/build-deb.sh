#!/bin/bash
# Builds target/deb/tetheritall-hub_<version>_all.deb from the Maven build outputs.
#
#   packaging/build-deb.sh              # runs 'mvn -q -DskipTests package' first
#   SKIP_BUILD=1 packaging/build-deb.sh # uses the existing daemon/target outputs
#
# Layout of the package:
#   /usr/bin/tetheritall-hub                    launcher (bin/tetheritall-hub)
#   /usr/share/tetheritall-hub/lib/*.jar        the daemon jar and its runtime dependencies
#   /lib/systemd/system/tetheritall-hub.service the unit
#   /etc/default/tetheritall-hub                conffile: service environment
#   /etc/tetheritall-hub/hub.conf               conffile: every setting, commented, from 'help config'
#   /usr/share/doc/tetheritall-hub/             copyright, changelog
# pi4j-plugin-mock is shipped on purpose: the hub builds its pi4j context with explicit providers
# (mock only for 'run --simulate'), so the mock's high auto-detection priority never applies, and
# --simulate works on an installed hub.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$ROOT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    # Build output goes to stderr: stdout carries only the path of the .deb (test-deb.sh reads it).
    mvn -B -q -Dstyle.color=never -DskipTests -pl daemon -am package >&2
fi

jar=$(compgen -G "daemon/target/tetheritall-daemon-*.jar" | grep -v -e '-tests\.jar$' -e '-sources\.jar$' | head -n 1 || true)
[[ -n "$jar" && -d daemon/target/lib ]] || { echo "build-deb: no daemon jar; build first" >&2; exit 1; }
mvn_version=$(basename "$jar" .jar)
mvn_version=${mvn_version#tetheritall-daemon-}
# Debian ordering: 0.1.0~SNAPSHOT sorts before the 0.1.0 release.
deb_version=${DEB_VERSION:-${mvn_version//-/\~}}
[[ "$deb_version" =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || { echo "build-deb: bad version '$deb_version'" >&2; exit 1; }

out=target/deb
stage=$out/stage
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/share/tetheritall-hub/lib" "$stage/lib/systemd/system" \
    "$stage/etc/default" "$stage/etc/tetheritall-hub" "$stage/usr/share/doc/tetheritall-hub"

install -m 0644 "$jar" daemon/target/lib/*.jar "$stage/usr/share/tetheritall-hub/lib/"
install -m 0755 bin/tetheritall-hub "$stage/usr/bin/tetheritall-hub"
install -m 0644 systemd/tetheritall-hub.service "$stage/lib/systemd/system/tetheritall-hub.service"

# Conffiles: generated from the code's own definitions so they cannot drift from it.
help_config=$(HUB_LIB_DIR="$stage/usr/share/tetheritall-hub/lib" bin/tetheritall-hub help config)
{ cat packaging/debian/hubconf.head; printf '%s\n' "$help_config"; } > "$stage/etc/tetheritall-hub/hub.conf"
install -m 0644 packaging/debian/default.head "$stage/etc/default/tetheritall-hub"
chmod 0640 "$stage/etc/tetheritall-hub/hub.conf" "$stage/etc/default/tetheritall-hub"
printf '/etc/default/tetheritall-hub\n/etc/tetheritall-hub/hub.conf\n' > "$stage/DEBIAN/conffiles"

for s in postinst prerm postrm; do
    install -m 0755 "packaging/debian/$s" "$stage/DEBIAN/$s"
done

cat > "$stage/usr/share/doc/tetheritall-hub/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: tetheritall-hub

Files: *
Copyright: 2026 The Tetheritall Hub authors
License: see the project repository

Files: usr/share/tetheritall-hub/lib/*
Comment: Third-party libraries, each under its own licence (Apache-2.0, EPL-2.0/EDL-1.0, MIT, LGPL-3.0
 for jssc); the licence texts are inside the jars (META-INF).
COPYRIGHT
printf 'tetheritall-hub (%s) unstable; urgency=medium\n\n  * Package build.\n\n -- Tetheritall Hub <hub@tetheritall.invalid>  %s\n' \
    "$deb_version" "$(date -R)" | gzip -9n > "$stage/usr/share/doc/tetheritall-hub/changelog.gz"

installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: tetheritall-hub
Version: $deb_version
Architecture: all
Maintainer: Tetheritall Hub <hub@tetheritall.invalid>
Installed-Size: $installed_size
Depends: openjdk-17-jre-headless | java17-runtime-headless, adduser
Recommends: mosquitto
Section: net
Priority: optional
Description: headless Zigbee home hub with MQTT and CoAP uplinks
 Tetheritall Hub drives a Zigbee coordinator (TI Z-Stack ZNP over USB serial
 or TCP), keeps device state in a tiered store and publishes it over MQTT
 (Home Assistant discovery, Zigbee2MQTT-style topics) and CoAP. Health and
 Prometheus metrics on http://127.0.0.1:8080. Runs as the systemd service
 tetheritall-hub.
CONTROL

deb="$out/tetheritall-hub_${deb_version}_all.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"

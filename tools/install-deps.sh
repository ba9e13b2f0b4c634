#!/bin/sh
# SPDX-License-Identifier: MIT
# install-deps.sh: installs the Debian packages pvhv builds and tests with.
# Asks apt only for what is missing, so a prepared machine needs no network.
set -eu
pkgs="build-essential autoconf automake pkg-config libxml2-dev libxml2-utils
uuid-dev check libsubunit-dev libseccomp-dev liburing-dev libsystemd-dev libxen-dev xenstore-utils binutils man-db util-linux jq clang-format"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "install-deps: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq $missing
fi

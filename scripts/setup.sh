#!/usr/bin/env bash
# Installs everything chanlint needs on Debian 12, and nothing twice.
#   scripts/setup.sh          Debian packages + npm tools
# Safe to run again: packages already present are skipped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  build-essential cmake ninja-build git python3
  clang-19 libclang-19-dev llvm-19-dev llvm-19-tools clang-tidy-19 clang-tools-19
  libclang-rt-19-dev
  nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  libboost1.81-doc libboost1.81-dev  # bench/bench.py: Boost's examples as real code without channels
  libboost-fiber1.81-dev  # the Boost.Fiber runtime witnesses link libboost_fiber and libboost_context
  libboost-thread1.81-dev  # the Boost.Thread runtime witnesses link libboost_thread (Fiber's -dev pulls it in today, through libboost-context1.81-dev)
  libconcurrentqueue-dev  # moodycamel's queues (header-only): fixtures/models/moodycamel and its runtime witnesses
  neovim
)
# Node.js may come from Debian or from NodeSource (which bundles npm): ask
# for the commands, not for the package names.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages present"
fi

# Microsoft's SARIF Multitool validates our SARIF output. The npm wrapper
# passes arguments through a shell, so tests call the Linux binary directly.
npm_prefix="$root/.deps/npm"
multitool="$npm_prefix/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$multitool" ]; then
  echo "setup: installing @microsoft/sarif-multitool"
  mkdir -p "$npm_prefix"
  npm install --silent --no-audit --no-fund --prefix "$npm_prefix" \
    @microsoft/sarif-multitool@5.7.0 >/dev/null
  chmod u+x "$multitool"
else
  echo "setup: SARIF Multitool present"
fi

#!/usr/bin/env bash
# Puts a Node.js that the project's npm test tooling can run first on PATH.
# Sourced (not run) by tests/e2e/run.sh and bench/lighthouse.sh:
#   source scripts/node.sh && nongsan_use_node
#
# Why: the browser tests (playwright-core), the OpenAPI lint (swagger-parser)
# and Lighthouse need Node.js >= NODE_MIN_MAJOR, while Debian 12 ships 18.
# When the `node` on PATH is older, this installs the official Node.js build
# that the npm registry publishes as the package `node-linux-<arch>` (the
# same binary as nodejs.org's tarball, reached through the npm registry, the
# one package registry besides Debian's this project relies on) and a current
# npm into .tools/node/ with Debian's npm, once, and puts them first on PATH. Nothing is
# installed system-wide; `rm -rf .tools` undoes it.
#
# NONGSAN_NODE=/path/to/node forces a given binary (it must still be new enough).

NODE_MIN_MAJOR=20
# The version installed when the system's Node.js is too old: the newest
# 22.x (an LTS line) at the time it was pinned. Bump deliberately.
NODE_PINNED_VERSION=22.23.5
# npm installed beside it: the lockfiles are written by npm 11, and Debian's
# npm 9 refuses some of them in `npm ci` ("Missing: … from lock file").
NPM_PINNED_VERSION=11.19.1

nongsan_node_major() { # node binary → its major version, or 0
  local v
  v=$("$1" --version 2>/dev/null) || { echo 0; return; }
  v=${v#v}
  echo "${v%%.*}"
}

nongsan_use_node() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  local tools="$root/.tools/node"
  local found="" found_version="none"

  if [ -n "${NONGSAN_NODE:-}" ]; then
    found=$NONGSAN_NODE
  elif command -v node >/dev/null 2>&1; then
    found=$(command -v node)
  fi
  if [ -n "$found" ]; then
    found_version=$("$found" --version 2>/dev/null || echo "unusable")
    if [ "$(nongsan_node_major "$found")" -ge "$NODE_MIN_MAJOR" ]; then
      export PATH="$(dirname "$found"):$PATH"
      return 0
    fi
  fi

  if [ -z "${NONGSAN_NODE:-}" ]; then
    if [ ! -x "$tools/bin/node" ] || [ ! -x "$tools/bin/npm" ] \
      || [ "$(nongsan_node_major "$tools/bin/node")" -lt "$NODE_MIN_MAJOR" ]; then
      local arch pkg
      case "$(uname -m)" in
        x86_64) arch=x64 ;;
        aarch64) arch=arm64 ;;
        *) arch="" ;;
      esac
      if [ -n "$arch" ] && command -v npm >/dev/null 2>&1; then
        pkg="node-linux-$arch@$NODE_PINNED_VERSION"
        echo "node: found Node.js $found_version; the npm test tools need >= $NODE_MIN_MAJOR." \
          "Installing $pkg and npm@$NPM_PINNED_VERSION from the npm registry into .tools/node" >&2
        rm -rf "$tools"
        mkdir -p "$tools/bin"
        if npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error \
          "$pkg" "npm@$NPM_PINNED_VERSION" >&2; then
          ln -sf "$tools/node_modules/node-linux-$arch/bin/node" "$tools/bin/node"
          ln -sf "$tools/node_modules/npm/bin/npm-cli.js" "$tools/bin/npm"
          ln -sf "$tools/node_modules/npm/bin/npx-cli.js" "$tools/bin/npx"
        fi
      fi
    fi
    if [ -x "$tools/bin/node" ] && [ -x "$tools/bin/npm" ] \
      && [ "$(nongsan_node_major "$tools/bin/node")" -ge "$NODE_MIN_MAJOR" ]; then
      export PATH="$tools/bin:$PATH"
      return 0
    fi
  fi

  if [ -n "${NONGSAN_NODE:-}" ]; then
    echo "node: NONGSAN_NODE=$NONGSAN_NODE is Node.js $found_version; the browser tests, the OpenAPI lint" \
      "and Lighthouse need Node.js >= $NODE_MIN_MAJOR." >&2
  else
    echo "node: Node.js $found_version found, but the browser tests, the OpenAPI lint and Lighthouse" \
      "need Node.js >= $NODE_MIN_MAJOR (and npm); installing $NODE_PINNED_VERSION into .tools/node failed." \
      "Run scripts/deps.sh (it installs Debian's nodejs and npm), or set NONGSAN_NODE to a Node.js >= $NODE_MIN_MAJOR." >&2
  fi
  return 1
}

# Installs tests/e2e's npm packages (playwright-core, the OpenAPI and EPCIS
# schemas, axe-core) when node_modules is missing or older than the lockfile.
# Needs nongsan_use_node first.
nongsan_e2e_npm_install() {
  local e2e
  e2e="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/e2e"
  if ! cmp -s "$e2e/package-lock.json" "$e2e/node_modules/.nongsan-lock" 2>/dev/null; then
    # playwright-core never downloads a browser; this only fetches the npm packages.
    (cd "$e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error) || return 1
    cp "$e2e/package-lock.json" "$e2e/node_modules/.nongsan-lock"
  fi
}

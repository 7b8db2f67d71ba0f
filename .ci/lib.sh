# Shared by the .ci scripts: paths, pinned tool versions, and install-if-missing steps.
# Every step checks first and skips what is already there, so a second run costs seconds.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
# Build and run from the repository root, whatever the caller's directory.
cd "$REPO"

WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen` pin in Cargo.toml
SITE="$REPO/target/site"       # what `vexil serve` serves by default (site_root)
WASM_FALLBACK="$REPO/../shared/toolchain/wasm32-std-1.95.0.tar.xz"

# Seconds since the run began, also in background jobs (a subshell's $SECONDS restarts at 0).
CI_STARTED=${CI_STARTED:-$(date +%s)}
export CI_STARTED
step() { printf '\n==> [%ss] %s\n' "$(($(date +%s) - CI_STARTED))" "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# The wasm32 standard library, from rustup; the shared archive only if rustup fails
# and only for the toolchain it was made for (see shared/toolchain/README.md).
ensure_wasm_target() {
  local libdir
  libdir="$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib"
  if ls "$libdir"/libstd-*.rlib >/dev/null 2>&1; then return; fi
  step "installing the wasm32-unknown-unknown target"
  if rustup target add wasm32-unknown-unknown; then return; fi
  if rustc --version | grep -q '^rustc 1\.95\.0' && [ -f "$WASM_FALLBACK" ]; then
    tar -xJf "$WASM_FALLBACK" -C "$(rustc --print sysroot)/lib/rustlib"
  else
    echo "cannot install the wasm32-unknown-unknown target" >&2
    return 1
  fi
}

# wasm-bindgen's CLI must match the crate exactly. Installed without --locked: one of its
# locked dependency versions is not served by the registry mirror (shared/design/BUILD.md).
ensure_wasm_bindgen() {
  if wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then return; fi
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
}

# Debian packages, installed only when a command is missing.
ensure_apt() { # ensure_apt COMMAND PACKAGE...
  local command=$1; shift
  if command -v "$command" >/dev/null 2>&1; then return; fi
  step "installing $* from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"
}

# Playwright and the SDKs used as real clients; never a browser download. Reinstalled only
# when package-lock.json changed since the last install.
ensure_node_modules() {
  local dir="$REPO/end2end" want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$dir/node_modules/.vexil-lock.sha256" 2>/dev/null)" = "$want" ]; then return; fi
  step "installing end2end npm packages"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  echo "$want" >"$dir/node_modules/.vexil-lock.sha256"
}

# Flipt's Python packages, real clients in the end-to-end suite, in a virtualenv of its own.
PYTHON_CLIENTS="$HOME/.cache/vexil/venv"
# flipt-client embeds Flipt's own evaluation engine: the oracle of the conformance test.
# schemathesis 3.39 needs a hypothesis from before 6.116 (newer ones break its strategies).
PYTHON_PACKAGES=(flipt==2.0.0 flipt-client==1.4.5 pyyaml==6.0.2 schemathesis==3.39.16 hypothesis==6.115.0
  psycopg[binary]==3.2.10)
ensure_python_clients() {
  if "$PYTHON_CLIENTS/bin/python" - "${PYTHON_PACKAGES[@]}" 2>/dev/null <<'PY'
import importlib.metadata as m, sys
sys.exit(any(m.version(n.split("[")[0]) != v for n, v in (p.split("==") for p in sys.argv[1:])))
PY
  then
    return
  fi
  step "installing ${PYTHON_PACKAGES[*]} into $PYTHON_CLIENTS"
  python3 -m venv "$PYTHON_CLIENTS"
  "$PYTHON_CLIENTS/bin/pip" install --quiet "${PYTHON_PACKAGES[@]}"
}

# The fault tests start a PostgreSQL cluster of their own (initdb + pg_ctl, never the
# machine's server): they need the server binaries, not only the client.
ensure_postgres_server_binaries() {
  if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then return; fi
  step "installing PostgreSQL's server binaries from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql
}

# PostgreSQL must answer on 127.0.0.1:5432: its store tests fail rather than skip.
ensure_postgres() {
  local url=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
  if psql "$url" -qtAc 'SELECT 1' >/dev/null 2>&1; then return; fi
  echo "PostgreSQL does not answer at $url; the PostgreSQL store tests need it." >&2
  echo "Start it (Debian: pg_ctlcluster <version> main start) or set TEST_POSTGRES_URL." >&2
  return 1
}

# Builds the hydration bundle into $SITE/pkg and copies the stylesheet and public assets.
build_site() { # build_site PROFILE (dev | wasm-ci | wasm-release)
  local profile=$1 dir=$1
  [ "$profile" = dev ] && dir=debug
  step "building the dashboard wasm ($profile)"
  cargo rustc -p app --lib --crate-type cdylib --target wasm32-unknown-unknown \
    --no-default-features --features hydrate --profile "$profile" \
    --target-dir "$CARGO_TARGET_DIR/front"
  rm -rf "$SITE"
  mkdir -p "$SITE/pkg"
  wasm-bindgen --target web --no-typescript --out-dir "$SITE/pkg" --out-name vexil \
    "$CARGO_TARGET_DIR/front/wasm32-unknown-unknown/$dir/app.wasm"
  mv "$SITE/pkg/vexil_bg.wasm" "$SITE/pkg/vexil.wasm"
  cp style/main.css "$SITE/pkg/vexil.css"
  cp -R public/. "$SITE/"
}

# Runs a cargo command with clippy's driver compiling this workspace's crates, which lints them
# (`-D warnings`) as it compiles them: what `cargo clippy` does, but inside the build the tests
# need instead of a `cargo check` of every dependency of its own (minutes on two cores).
# Dependencies are compiled by plain rustc, as under `cargo clippy`. Only for this workspace:
# under `cargo install` the installed crate would be the workspace member.
linted() {
  RUSTC_WORKSPACE_WRAPPER="$(command -v clippy-driver)" \
    CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" "$@"
}

# The server binary that `cargo test --profile ci --workspace` already built (the binary-level
# tests run it); the end-to-end layers drive the same one instead of building it again with
# another profile (which costs minutes on two cores). Kept at target/ci/vexil in the clone.
TESTED_SERVER="$REPO/target/ci/vexil"
use_tested_server() {
  step "using the server binary the tests built"
  if [ "$CARGO_TARGET_DIR" != "$REPO/target" ]; then
    mkdir -p "$REPO/target/ci"
    cp "$CARGO_TARGET_DIR/ci/vexil" "$TESTED_SERVER"
  fi
}

# Builds the release server; leaves a copy at target/release/vexil when the cargo target
# directory lives elsewhere, so `target/release/vexil serve` always works from the root.
build_server_release() {
  step "building the server (release)"
  cargo build --release --bin vexil
  if [ "$CARGO_TARGET_DIR" != "$REPO/target" ]; then
    mkdir -p "$REPO/target/release"
    cp "$CARGO_TARGET_DIR/release/vexil" "$REPO/target/release/vexil"
  fi
}

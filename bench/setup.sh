#!/usr/bin/env bash
# Installs what the benchmarks need on top of hpo's own dependencies: the peers hpo is compared
# with, from Debian packages (issue 6: Optuna, DEAP, scikit-learn; issue 14: PyTorch, for the
# Python under /usr/bin/python3). hpo's own packages and build come from scripts/setup.sh: run it first, or
# pass --project to have this script run it.
#
#   bash bench/setup.sh              # the peers only (apt-get only if one is missing)
#   bash bench/setup.sh --torch      # and PyTorch, for the pruning bench's LeNet-5 kernel (large:
#                                    # left out of scripts/test.sh, whose quick bench runs the MLP only)
#   bash bench/setup.sh --project    # scripts/setup.sh first (packages + build into build/)
#
# Idempotent and fast when everything is there (one dpkg-query, no network); `apt-get update`
# runs at most once, and only when a package is missing. Non-interactive; as root, or through
# `sudo -n` otherwise. HPO_SKIP_PACKAGES=1 skips the package step (as in scripts/setup.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

# The peers (issue 6: "the peers come from Debian packages"). numpy comes with them; the C
# compiler (cc, for the kernels the bench scripts compile) and python3 come with scripts/setup.sh.
packages=(python3-optuna python3-deap python3-sklearn)
modules="optuna, deap, sklearn"   # what /usr/bin/python3 must import afterwards

project=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --project) project=1 ;;
    --torch) packages+=(python3-torch); modules+=", torch" ;;  # PyTorch (CPU): the pruning bench's LeNet-5 (issue 14)
    -h|--help) sed -n 2,14p "$0"; exit 0 ;;
    *) echo "bench/setup.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

if [[ $project == 1 ]]; then
  bash "$repo/scripts/setup.sh"
fi

if [[ ${HPO_SKIP_PACKAGES:-0} == 1 ]]; then exit 0; fi
if ! command -v dpkg-query > /dev/null; then
  echo "bench/setup.sh: not a Debian system; install the equivalents of: ${packages[*]} (for /usr/bin/python3)" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  if [[ $(dpkg-query -W -f='${Status}' "$package" 2> /dev/null) != "install ok installed" ]]; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "bench/setup.sh: the peers are installed (${packages[*]})" >&2
  exit 0
fi

sudo=()
if ((EUID != 0)); then
  if ! command -v sudo > /dev/null; then
    echo "bench/setup.sh: missing packages (${missing[*]}) and no sudo to install them as $(id -un)" >&2
    exit 1
  fi
  sudo=(sudo -n)  # never prompt: a CI job would hang on a password
fi
echo "bench/setup.sh: installing ${missing[*]}" >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"

# Debian installs them for its own python3; a pyenv `python3` earlier on PATH does not see them.
if ! /usr/bin/python3 -c "import $modules" 2> /dev/null; then
  echo "bench/setup.sh: installed, but /usr/bin/python3 cannot import $modules" >&2
  exit 1
fi
echo "bench/setup.sh: done" >&2

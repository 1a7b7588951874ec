# Sourced by setup.sh and test.sh: installs the Debian packages named, as root; otherwise says
# which to install and stops.
install_debian_packages() {
  [ $# -gt 0 ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: $*; run: sudo apt-get install -y $*" >&2
    exit 1
  fi
  echo "Installing Debian packages: $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

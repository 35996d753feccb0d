# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables are for the scripts that source this
# Sourced by deploy/container-test and deploy/container/base-images.
# podman as root, as it works on a bare Debian 12 host and in this project's
# sandbox (cgroups v1, no systemd as PID 1, overlay storage on ext4):
#   --runtime runc             the runtime installed with podman here, whichever
#                              other one (crun) a host may also have
#   --cgroup-manager cgroupfs  works with or without systemd
#   --events-backend file      no journald needed
podman_cmd=(podman --runtime runc --cgroup-manager cgroupfs --events-backend file)
# No systemd timer for a container's HEALTHCHECK (a host without systemd has
# none to make, and podman logs errors); deploy/container-test runs it itself.
export DISABLE_HC_SYSTEMD=true
# podman gives root's containers nofile and nproc limits above 1M, which runc
# cannot set where the host's hard limits are lower (here nofile 20000), so a
# container gets limits that fit under them; plenty for one server.
ulimit_args=(--ulimit nofile=16384:16384 --ulimit nproc=16384:16384)

pm() { "${podman_cmd[@]}" "$@"; }

# Base-image tarballs and the packages debootstrap fetched; CI may keep it.
cache_dir=${PATHWISE_CONTAINER_CACHE:-/var/cache/pathwise-container}

phase_start=0
# phase NAME: ends the previous phase (printing its duration) and starts NAME.
phase() {
  local now
  now=$(date +%s)
  if [ -n "${phase_name:-}" ]; then
    printf '[container] %-12s %4ds\n' "$phase_name" $((now - phase_start))
    phase_times+=("$phase_name=$((now - phase_start))s")
  fi
  phase_name=${1:-}
  phase_start=$now
  if [ -n "$phase_name" ]; then echo "[container] == $phase_name"; fi
}
phase_times=()

die() {
  echo "[container] FAIL: $*" >&2
  exit 1
}

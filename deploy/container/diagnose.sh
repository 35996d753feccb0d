# shellcheck shell=bash
# Sourced by deploy/container-test after common.sh: names the likely cause
# when podman cannot run a container here, which on CI is nearly always the
# environment (a job inside an unprivileged container), not the project.

# indent: podman's messages, each line marked as this test's output.
indent() { sed 's/^/[container]   /'; }

# environment_summary: one line on what podman needs from the machine.
environment_summary() {
  local inside=no cap
  if [ -e /.dockerenv ] || [ -e /run/.containerenv ]; then inside=yes; fi
  cap=$(awk '/^CapEff:/ {print $2}' /proc/self/status 2>/dev/null)
  # /sys/fs/cgroup is cgroup2fs under cgroups v2, a tmpfs of controllers
  # under v1; the storage's file system decides whether overlay can mount.
  echo "inside a container: $inside; effective capabilities: ${cap:-unknown}" \
    "(all: 000001ffffffffff or more);" \
    "/sys/fs/cgroup: $(stat -fc %T /sys/fs/cgroup 2>/dev/null || echo missing);" \
    "/var/lib/containers on: $(stat -fc %T /var/lib/containers 2>/dev/null || echo missing)"
}

# podman_failure WHAT OUTPUT: fails the test after printing podman's message
# OUTPUT (from the step WHAT), the likely cause and the environment. The
# causes are matched from the most specific message to the least: cgroup and
# overlay errors often end in "permission denied" too. Storage paths
# (.../storage/overlay/...) appear in many messages, so overlay errors are
# matched by how podman words a failed mount.
podman_failure() {
  local what=$1 output=$2 cause fix
  echo "[container] $what failed:" >&2
  indent <<<"$output" >&2
  case ${output,,} in
    *cgroup*)
      cause="cgroups: the runtime cannot create or join the container's cgroup"
      fix="run the CI job's container --privileged with /sys/fs/cgroup read-write" ;;
    *"overlay mount"*|*"mount overlay"*|*"not supported over"*|*"driver not supported"*)
      cause="storage: the overlay driver cannot mount here (overlay on overlay?)"
      fix="put /var/lib/containers on a volume of its own, or run the job --privileged" ;;
    *newuidmap*|*subuid*|*"user namespace"*)
      cause="user namespaces: podman runs rootless here"
      fix="run this test as root" ;;
    *"executable file not found"*|*"no such file or directory"*runc*)
      cause="runtime: runc is missing"
      fix="install the runc package" ;;
    *"operation not permitted"*|*"permission denied"*|*"read-only file system"*)
      cause="privileges: no CAP_SYS_ADMIN for mounts and namespaces, or seccomp/AppArmor"
      fix="run the CI job's container --privileged" ;;
    *)
      cause="not recognised; podman's message above says more"
      fix="see podman's message" ;;
  esac
  echo "[container] likely cause: $cause; fix: $fix" >&2
  echo "[container] environment: $(environment_summary)" >&2
  die "podman cannot run containers on this machine (see the cause above);" \
    "PATHWISE_SKIP_CONTAINER_TEST=1 skips this test where that is intended"
}

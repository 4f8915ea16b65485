package io.linuxpatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart awareness: finding the processes that still run deleted binaries or libraries. */
class DeletedFileUsersTest {

  private static DeletedFileUsers scannerFor(Path allowed, AtomicLong clock) {
    return new DeletedFileUsers(Path.of("/proc"), List.of(allowed.toString()), List.of(), clock::get);
  }

  private static Optional<StaleProcess> find(RestartNeeded result, long pid) {
    return result.processes().stream().filter(p -> p.pid() == pid).findFirst();
  }

  @Test
  @DisplayName("A running process whose binary was deleted is listed with its pid, command and deleted executable")
  void deletedExecutableListed(@TempDir Path dir) throws Exception {
    Path binary = dir.resolve("bin/sleep");
    try (SleepingCopy sleeping = SleepingCopy.start(binary).deleteBinary()) {
      RestartNeeded result = scannerFor(dir, new AtomicLong()).scan();

      StaleProcess stale = find(result, sleeping.pid()).orElseThrow(
          () -> new AssertionError("pid " + sleeping.pid() + " not listed in " + result));
      assertThat(stale.command()).isEqualTo("sleep");
      assertThat(stale.executable()).isEqualTo(binary.toString());
      assertThat(stale.deletedFiles()).containsExactly(binary.toString());
      assertThat(stale.toJson().fieldNames())
          .containsExactly("pid", "command", "executable", "deleted_files", "service");
    }
  }

  @Test
  @DisplayName("A process whose binary still exists is not listed, nor is one whose deleted file lies outside the prefixes")
  void liveBinaryNotListed(@TempDir Path dir) throws Exception {
    try (SleepingCopy live = SleepingCopy.start(dir.resolve("allowed/live-sleep"));
        SleepingCopy outside = SleepingCopy.start(dir.resolve("elsewhere/sleep")).deleteBinary()) {
      RestartNeeded result = scannerFor(dir.resolve("allowed"), new AtomicLong()).scan();

      assertThat(find(result, live.pid())).isEmpty();
      assertThat(find(result, outside.pid())).isEmpty();
    }
  }

  @Test
  @DisplayName("Processes are listed by pid and their services once each, sorted")
  void orderedByPid(@TempDir Path dir) throws Exception {
    try (SleepingCopy first = SleepingCopy.start(dir.resolve("bin/a")).deleteBinary();
        SleepingCopy second = SleepingCopy.start(dir.resolve("bin/b")).deleteBinary()) {
      RestartNeeded result = scannerFor(dir, new AtomicLong()).scan();

      assertThat(result.processes()).extracting(StaleProcess::pid)
          .containsSubsequence(Math.min(first.pid(), second.pid()), Math.max(first.pid(), second.pid()))
          .isSorted();
      assertThat(result.services()).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  @DisplayName("A scan younger than 10 s is reused; after 10 s the next request scans again")
  void cachedForTenSeconds(@TempDir Path dir) throws Exception {
    AtomicLong clock = new AtomicLong(1_000);
    DeletedFileUsers scanner = scannerFor(dir, clock);
    RestartNeeded before = scanner.current();
    try (SleepingCopy sleeping = SleepingCopy.start(dir.resolve("bin/sleep")).deleteBinary()) {
      clock.addAndGet(TimeUnit.SECONDS.toNanos(9));
      assertThat(scanner.current()).isSameAs(before);

      clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
      assertThat(find(scanner.current(), sleeping.pid())).isPresent();
    }
  }

  @Test
  @DisplayName("A maps line yields its path only for a deleted regular file, never for shared memory, memfd or anonymous memory")
  void mapsLines() {
    assertThat(DeletedFileUsers.deletedMapping(
        "7f3c2a000000-7f3c2a1b0000 r-xp 00000000 fd:01 1234  /usr/lib/x86_64-linux-gnu/libssl.so.3 (deleted)"))
        .contains("/usr/lib/x86_64-linux-gnu/libssl.so.3");
    assertThat(DeletedFileUsers.deletedMapping(
        "7f3c2a000000-7f3c2a1b0000 r--p 00000000 fd:01 98765                      /opt/My App/lib/libfoo.so (deleted)"))
        .contains("/opt/My App/lib/libfoo.so");
    assertThat(DeletedFileUsers.deletedMapping(
        "7f3c2a000000-7f3c2a1b0000 r-xp 00000000 fd:01 1234  /usr/lib/x86_64-linux-gnu/libc.so.6")).isEmpty();
    assertThat(DeletedFileUsers.deletedMapping(
        "7f3c2a000000-7f3c2a1b0000 rw-s 00000000 00:1a 4321  /dev/shm/pulse-shm-2751 (deleted)")).isEmpty();
    assertThat(DeletedFileUsers.deletedMapping(
        "7f3c2a000000-7f3c2a1b0000 rw-s 00000000 00:01 2048  /memfd:wayland-cursor (deleted)")).isEmpty();
    assertThat(DeletedFileUsers.deletedMapping(
        "7f3c2a000000-7f3c2a1b0000 rw-s 00000000 00:01 32768  /SYSV00000000 (deleted)")).isEmpty();
    assertThat(DeletedFileUsers.deletedMapping(
        "7f3c2a000000-7f3c2a1b0000 rw-s 00000000 00:01 7  /dev/zero (deleted)")).isEmpty();
    assertThat(DeletedFileUsers.deletedMapping("7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0 ")).isEmpty();
    assertThat(DeletedFileUsers.deletedMapping(
        "55d0c0a00000-55d0c0a21000 rw-p 00000000 00:00 0                          [heap]")).isEmpty();
    assertThat(DeletedFileUsers.deletedMapping("garbage (deleted)")).isEmpty();
  }

  @Test
  @DisplayName("Only files under the allowed directories count, minus the excluded ones; /usrlocal is not /usr")
  void prefixes() {
    DeletedFileUsers scanner = new DeletedFileUsers(Path.of("/proc"), DeletedFileUsers.SYSTEM_PREFIXES,
        List.of("/opt/agent-tmp"), System::nanoTime);

    assertThat(scanner.counts("/usr/lib/x86_64-linux-gnu/libssl.so.3")).isTrue();
    assertThat(scanner.counts("/lib64/ld-linux-x86-64.so.2")).isTrue();
    assertThat(scanner.counts("/usr/sbin/sshd")).isTrue();
    assertThat(scanner.counts("/usrlocal/lib/libx.so")).isFalse();
    assertThat(scanner.counts("/tmp/libnetty_transport_native_epoll_x86_64.so")).isFalse();
    assertThat(scanner.counts("/home/alice/bin/tool")).isFalse();
    assertThat(scanner.counts("/opt/agent-tmp/libjansi.so")).isFalse();
    assertThat(scanner.counts("/opt/vendor/lib/libv.so")).isTrue();
  }

  @Test
  @DisplayName("A cgroup line names the last .service element of its path, or none for scopes and the root")
  void cgroupLines() {
    assertThat(DeletedFileUsers.serviceInLine("0::/system.slice/ssh.service")).contains("ssh.service");
    assertThat(DeletedFileUsers.serviceInLine("1:name=systemd:/system.slice/cron.service")).contains("cron.service");
    assertThat(DeletedFileUsers.serviceInLine("0::/system.slice/docker.service/worker")).contains("docker.service");
    assertThat(DeletedFileUsers.serviceInLine(
        "0::/user.slice/user-1000.slice/user@1000.service/app.slice/pipewire.service")).contains("pipewire.service");
    assertThat(DeletedFileUsers.serviceInLine("0::/user.slice/user-1000.slice/session-3.scope")).isEmpty();
    assertThat(DeletedFileUsers.serviceInLine("0::/")).isEmpty();
    assertThat(DeletedFileUsers.serviceInLine("0::/system.slice/.service")).isEmpty();
    assertThat(DeletedFileUsers.serviceInLine("no colons here.service")).isEmpty();
  }

  @Test
  @DisplayName("systemd's own hierarchy decides the service; another controller's path is only the fallback")
  void cgroupFile() {
    assertThat(DeletedFileUsers.service(List.of(
        "4:memory:/system.slice/other.service", "1:name=systemd:/system.slice/cron.service", "0::/")))
        .isEqualTo("cron.service");
    assertThat(DeletedFileUsers.service(List.of("4:memory:/system.slice/other.service", "0::/")))
        .isEqualTo("other.service");
    assertThat(DeletedFileUsers.service(List.of("0::/system.slice/nginx.service"))).isEqualTo("nginx.service");
    assertThat(DeletedFileUsers.service(List.of("0::/init.scope"))).isNull();
    assertThat(DeletedFileUsers.service(List.of())).isNull();
  }
}

package io.linuxpatch.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the processes still running deleted (upgraded) binaries or libraries, from /proc (restart
 * awareness): {@code /proc/<pid>/exe} and the file mappings in {@code /proc/<pid>/maps} that the kernel
 * marks {@code " (deleted)"}, limited to the directories packages install code into. Blocking: call it from
 * a worker thread only.
 */
final class DeletedFileUsers {

  /** Where packaged code lives; a deleted file elsewhere (/tmp, /home, /dev/shm) is no upgrade. */
  static final List<String> SYSTEM_PREFIXES = List.of("/usr", "/lib", "/lib64", "/bin", "/sbin", "/opt");
  static final int MAX_FILES = 20;
  static final int MAX_PROCESSES = 100;
  /** A burst of info requests (a dashboard refreshing many panels) reuses one scan. */
  static final Duration CACHE = Duration.ofSeconds(10);

  private static final String DELETED = " (deleted)";
  private static final String SERVICE_SUFFIX = ".service";
  private static final Logger LOG = LoggerFactory.getLogger(DeletedFileUsers.class);

  private final Path proc;
  private final List<String> allowed;
  private final List<String> excluded;
  private final LongSupplier nanoClock;
  private RestartNeeded cached;
  private long cachedAt;

  /**
   * @param proc            the proc file system, {@code /proc} outside tests
   * @param allowedPrefixes directories whose deleted files count
   * @param excludedPrefixes directories inside those whose deleted files never count
   * @param nanoClock       {@link System#nanoTime} outside tests
   */
  DeletedFileUsers(Path proc, List<String> allowedPrefixes, List<String> excludedPrefixes, LongSupplier nanoClock) {
    this.proc = proc;
    this.allowed = allowedPrefixes.stream().map(DeletedFileUsers::asDirectory).toList();
    this.excluded = excludedPrefixes.stream().map(DeletedFileUsers::asDirectory).toList();
    this.nanoClock = nanoClock;
  }

  /** The host's /proc and package directories, minus this JVM's temporary directory (its own extracted files). */
  static DeletedFileUsers standard() {
    return new DeletedFileUsers(Path.of("/proc"), SYSTEM_PREFIXES,
        List.of(System.getProperty("java.io.tmpdir", "/tmp")), System::nanoTime);
  }

  /** "/usr" and "/usr/" both mean the directory, so that "/usrlocal" never matches. */
  private static String asDirectory(String prefix) {
    return prefix.endsWith("/") ? prefix : prefix + "/";
  }

  /** The last scan if it is younger than {@link #CACHE}, else a new one. */
  RestartNeeded current() {
    long now = nanoClock.getAsLong();
    if (cached == null || now - cachedAt >= CACHE.toNanos()) {
      cached = scan();
      cachedAt = now;
    }
    return cached;
  }

  /** Scans every process now. */
  RestartNeeded scan() {
    long started = System.nanoTime();
    List<StaleProcess> stale = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (isPid(name)) {
          inspect(Long.parseLong(name), entry).ifPresent(stale::add);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot list {} ({}): system info reports no processes to restart", proc, e.toString());
      return RestartNeeded.NONE;
    }
    stale.sort(Comparator.comparingLong(StaleProcess::pid));
    List<String> services = stale.stream().map(StaleProcess::service).filter(s -> s != null)
        .distinct().sorted().toList();
    LOG.debug("restart scan of {}: {} processes with deleted files in {} ms", proc, stale.size(),
        (System.nanoTime() - started) / 1_000_000);
    return new RestartNeeded(services, stale.subList(0, Math.min(stale.size(), MAX_PROCESSES)));
  }

  private static boolean isPid(String name) {
    if (name.isEmpty() || name.length() > 10) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** The process if it runs deleted files; empty when it does not, vanished meanwhile or is not ours to read. */
  private Optional<StaleProcess> inspect(long pid, Path dir) {
    try {
      String executable = executable(dir);
      TreeSet<String> deleted = new TreeSet<>();
      if (executable != null && executable.endsWith(DELETED)) {
        executable = executable.substring(0, executable.length() - DELETED.length());
        if (counts(executable)) {
          deleted.add(executable);
        }
      }
      // Decoding with replacement: a file name that is no UTF-8 must not hide the rest of the process.
      try (BufferedReader maps = new BufferedReader(new InputStreamReader(
          Files.newInputStream(dir.resolve("maps")), StandardCharsets.UTF_8))) {
        String line;
        while ((line = maps.readLine()) != null) {
          deletedMapping(line).filter(this::counts).ifPresent(deleted::add);
        }
      }
      if (deleted.isEmpty()) {
        return Optional.empty();
      }
      String command = Files.readString(dir.resolve("comm"), StandardCharsets.UTF_8).strip();
      String service = service(Files.readAllLines(dir.resolve("cgroup"), StandardCharsets.UTF_8));
      return Optional.of(new StaleProcess(pid, command, executable,
          deleted.stream().limit(MAX_FILES).toList(), service));
    } catch (IOException | SecurityException | UncheckedIOException e) {
      // Processes end all the time (ESRCH, ENOENT) and another user's are closed to a non-root agent
      // (EACCES): neither is a fault, and either only means this process is not reported.
      LOG.trace("skipping process {}: {}", pid, e.toString());
      return Optional.empty();
    }
  }

  /** The executable as the kernel names it, or null for kernel threads and zombies, which have none. */
  private static String executable(Path dir) {
    try {
      return Files.readSymbolicLink(dir.resolve("exe")).toString();
    } catch (IOException | UnsupportedOperationException | SecurityException none) {
      return null;
    }
  }

  /** Whether a deleted file at {@code path} is one an upgrade could have replaced. */
  boolean counts(String path) {
    return allowed.stream().anyMatch(path::startsWith) && excluded.stream().noneMatch(path::startsWith);
  }

  /**
   * The deleted regular file a {@code /proc/<pid>/maps} line maps, or empty for anything else: live files,
   * anonymous memory (inode 0, {@code [heap]}), shared memory ({@code /dev/shm}, {@code /SYSV…}, {@code /dev/zero})
   * and memfd files, which the kernel also marks deleted although no upgrade removed them.
   *
   * <p>Format: {@code address perms offset dev inode}, blanks, then the path (which may contain blanks).
   */
  static Optional<String> deletedMapping(String line) {
    if (!line.endsWith(DELETED)) {
      return Optional.empty();
    }
    int length = line.length();
    int at = 0;
    String inode = null;
    for (int field = 0; field < 5; field++) {
      while (at < length && line.charAt(at) == ' ') {
        at++;
      }
      int start = at;
      while (at < length && line.charAt(at) != ' ') {
        at++;
      }
      if (at == start) {
        return Optional.empty();
      }
      if (field == 4) {
        inode = line.substring(start, at);
      }
    }
    while (at < length && line.charAt(at) == ' ') {
      at++;
    }
    if (at > length - DELETED.length()) {
      return Optional.empty();
    }
    String path = line.substring(at, length - DELETED.length());
    if ("0".equals(inode) || !path.startsWith("/") || path.startsWith("/dev/") || path.startsWith("/memfd:")
        || path.startsWith("/SYSV")) {
      return Optional.empty();
    }
    return Optional.of(path);
  }

  /**
   * The systemd service of a process from its {@code /proc/<pid>/cgroup} lines: systemd's own hierarchy
   * (cgroup v2 {@code 0::}, or v1 {@code name=systemd}) first, any other hierarchy as a fallback.
   */
  static String service(List<String> cgroupLines) {
    String fallback = null;
    for (String line : cgroupLines) {
      Optional<String> service = serviceInLine(line);
      if (service.isEmpty()) {
        continue;
      }
      if (line.startsWith("0::") || line.contains(":name=systemd:")) {
        return service.get();
      }
      if (fallback == null) {
        fallback = service.get();
      }
    }
    return fallback;
  }

  /**
   * The last path element ending in {@code .service} of one cgroup line ({@code id:controllers:path});
   * the last, because a service's delegated subtree ({@code /system.slice/foo.service/worker}) is still
   * that service, and a user's units under {@code user@1000.service} are more precise than the manager.
   */
  static Optional<String> serviceInLine(String line) {
    int first = line.indexOf(':');
    int second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0) {
      return Optional.empty();
    }
    String[] elements = line.substring(second + 1).strip().split("/");
    for (int i = elements.length - 1; i >= 0; i--) {
      String element = elements[i];
      if (element.length() > SERVICE_SUFFIX.length() && element.endsWith(SERVICE_SUFFIX)) {
        return Optional.of(element);
      }
    }
    return Optional.empty();
  }
}

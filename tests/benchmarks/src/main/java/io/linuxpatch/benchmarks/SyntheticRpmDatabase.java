package io.linuxpatch.benchmarks;

import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real rpm database of N packages under a scratch root, made fast: ONE spec whose N subpackages
 * {@code rpmbuild --nodeps} writes in one run (seconds, where N builds would take minutes), then
 * {@code rpm --root R --dbpath /var/lib/rpm -i --justdb} records them without unpacking a file. HOME is a scratch
 * directory whose {@code .rpmmacros} names the database path, so nothing of the machine's own rpm state is read or
 * written (Debian's rpm would otherwise use {@code ~/.rpmdb}). Needs rpm and rpmbuild, as root.
 */
final class SyntheticRpmDatabase {

  static final Path RPM = Path.of("/usr/bin/rpm");
  static final Path RPMBUILD = Path.of("/usr/bin/rpmbuild");

  private SyntheticRpmDatabase() {}

  /** Whether this machine can build one. */
  static boolean available() {
    return Files.isExecutable(RPM) && Files.isExecutable(RPMBUILD) && "root".equals(System.getProperty("user.name"));
  }

  /** Builds the database of {@code count} packages under {@code dir/root}; HOME is {@code dir/home}. */
  static void create(Path dir, int count) throws IOException {
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve(".rpmmacros"), "%_dbpath /var/lib/rpm\n");
    Files.createDirectories(dir.resolve("root/var/lib/rpm"));
    StringBuilder spec = new StringBuilder("Name: bench\nVersion: 1.0\nRelease: 1\nSummary: bench\nLicense: MIT\n"
        + "BuildArch: noarch\nAutoReqProv: no\n%description\nbench\n");
    for (int i = 0; i < count; i++) {
      String name = String.format("bench-pkg-%04d", i);
      spec.append("%package -n ").append(name).append('\n')
          .append("Summary: synthetic package ").append(i).append(" of the inventory benchmark, a summary of usual length\n")
          .append("Version: 1.").append(i % 7).append('.').append(i % 13).append('\n')
          .append(i == 0 ? "" : "Requires: bench-pkg-0000\n")
          .append("URL: https://example.invalid/").append(name).append('\n')
          .append("%description -n ").append(name).append("\nsynthetic\n")
          .append("%files -n ").append(name).append('\n');
    }
    spec.append("%files\n");
    Path specFile = dir.resolve("bench.spec");
    Files.writeString(specFile, spec);
    Path rpms = dir.resolve("rpms");
    run(List.of(RPMBUILD.toString(), "-bb", "--nodeps", "--quiet", "--define", "_topdir " + dir.resolve("top"),
        "--define", "_rpmdir " + rpms, specFile.toString()), home);
    List<String> install = new ArrayList<>(List.of(RPM.toString(), "--root=" + dir.resolve("root"),
        "--dbpath=/var/lib/rpm", "-i", "--justdb", "--nodeps", "--noscripts", "--notriggers"));
    try (DirectoryStream<Path> built = Files.newDirectoryStream(rpms.resolve("noarch"), "bench-pkg-*.rpm")) {
      built.forEach(p -> install.add(p.toString()));
    }
    run(install, home);
  }

  private static void run(List<String> argv, Path home) {
    ProcessResult result = ProcessRunner.create().run(ProcessSpec.of(argv)
        .withExtraEnv(Map.of("HOME", home.toString())).withTimeout(Duration.ofMinutes(10)));
    if (!result.succeeded()) {
      throw new IllegalStateException(argv.get(0) + " failed (exit " + result.exitCode() + "): " + result.stderr().text());
    }
  }
}

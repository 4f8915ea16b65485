package io.linuxpatch.packages.backend.pacman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pacman.conf read without a process, compared with what pacman's own {@code pacman-conf} says of the same files. */
class PacmanConfigurationTest {

  private static final Path PACMAN_CONF = Path.of("/usr/bin/pacman-conf");

  @TempDir
  Path dir;

  @Test
  @DisplayName("RootDir without DBPath, two CacheDirs, IgnorePkg lists and an Include glob in [options], mirrorlists in repositories: as pacman-conf reads them")
  void parityWithPacmanConf() throws Exception {
    assumeTrue(Files.isExecutable(PACMAN_CONF), "pacman-conf is not installed (pacman-package-manager)");
    Path includes = Files.createDirectories(dir.resolve("pacman.d"));
    Files.writeString(includes.resolve("10-holds.conf"), "IgnorePkg = held-a   # a comment\n");
    Files.writeString(includes.resolve("20-more.conf"), "IgnorePkg = held-b held-c\n");
    Files.writeString(includes.resolve("skipped.txt"), "IgnorePkg = not-included\n");
    Files.writeString(includes.resolve("mirrorlist"), "Server = file:///nowhere/$repo\n");
    Path conf = dir.resolve("pacman.conf");
    Files.writeString(conf, """
        # a comment
        [options]
        RootDir     = %1$s/root/
        CacheDir = %1$s/cache-one/
        CacheDir = %1$s/cache-two/
        IgnorePkg = linux* glibc
        Include = %1$s/pacman.d/*.conf
        SigLevel = Never

        [core]
        Include = %1$s/pacman.d/mirrorlist

        [extra]
        Server = file:///nowhere/extra
        """.formatted(dir));
    PacmanConfiguration read = PacmanConfiguration.read(List.of("--config", conf.toString()));

    assertThat(read.configFile()).isEqualTo(conf);
    assertThat(read.rootDir()).isEqualTo(Path.of(one(conf, "RootDir")));
    assertThat(read.dbPath()).isEqualTo(Path.of(one(conf, "DBPath")).normalize());
    assertThat(read.cacheDirs()).isEqualTo(pacmanConf(conf, "CacheDir").stream().map(Path::of).toList());
    assertThat(read.ignored()).containsExactlyInAnyOrderElementsOf(pacmanConf(conf, "IgnorePkg"));
    assertThat(read.repositories()).isEqualTo(run(List.of(PACMAN_CONF.toString(), "--config", conf.toString(),
        "--repo-list")));
  }

  @Test
  @DisplayName("--dbpath and --cachedir in the options win over the file; without RootDir the DBPath is /var/lib/pacman")
  void optionsOverride() throws Exception {
    Path conf = dir.resolve("pacman.conf");
    Files.writeString(conf, "[options]\nDBPath = /somewhere/db/\n[core]\nServer = file:///x\n");
    PacmanConfiguration read = PacmanConfiguration.read(List.of("--config=" + conf, "--dbpath", "/other/db",
        "--cachedir", "/other/cache"));
    assertThat(read.dbPath()).isEqualTo(Path.of("/other/db"));
    assertThat(read.cacheDirs()).containsExactly(Path.of("/other/cache"));
    Files.writeString(conf, "[options]\n[core]\nServer = file:///x\n");
    PacmanConfiguration defaults = PacmanConfiguration.read(List.of("--config", conf.toString()));
    assertThat(defaults.dbPath()).isEqualTo(Path.of("/var/lib/pacman"));
    assertThat(defaults.cacheDirs()).containsExactly(Path.of("/var/cache/pacman/pkg"));
    assertThat(defaults.repositories()).containsExactly("core");
  }

  @Test
  @DisplayName("IgnorePkg entries are fnmatch patterns, as libalpm matches them")
  void ignorePatterns() {
    PacmanConfiguration conf = new PacmanConfiguration(Path.of("/etc/pacman.conf"), Path.of("/"),
        Path.of("/var/lib/pacman"), List.of(), java.util.Set.of("linux*", "gl?bc", "[!x]z", "exact+"), List.of());
    assertThat(conf.ignores("linux")).isTrue();
    assertThat(conf.ignores("linux-lts")).isTrue();
    assertThat(conf.ignores("glibc")).isTrue();
    assertThat(conf.ignores("glib2")).isFalse();
    assertThat(conf.ignores("az")).isTrue();
    assertThat(conf.ignores("xz")).isFalse();
    assertThat(conf.ignores("exact+")).isTrue();
    assertThat(conf.ignores("exactt")).isFalse();
    assertThat(conf.ignores("mylinux")).isFalse();
  }

  private static String one(Path conf, String directive) {
    List<String> values = pacmanConf(conf, directive);
    assertThat(values).hasSize(1);
    return values.get(0);
  }

  private static List<String> pacmanConf(Path conf, String directive) {
    return run(List.of(PACMAN_CONF.toString(), "--config", conf.toString(), directive));
  }

  private static List<String> run(List<String> argv) {
    ProcessResult result = ProcessRunner.create().run(ProcessSpec.of(argv));
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return new ArrayList<>(result.stdout().lines());
  }
}

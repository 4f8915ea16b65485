package io.linuxpatch.packages.backend.pacman.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.jobs.JobError;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of texts pacman 6.0.2 printed on sandboxes of this machine kind (stdout and stderr as captured, paths
 * as they were), each with the JOB-3 code it must give. PacmanFailureSandboxTest provokes most of them live.
 */
@Tag("JOB-3")
class PacmanFailureTest {

  static Stream<Arguments> captured() {
    return Stream.of(
        Arguments.of("target not found", 1, "error: target not found: nosuch\n", JobError.PKG_NOT_FOUND),
        Arguments.of("conflict under --noconfirm", 1, """
            resolving dependencies...
            looking for conflicting packages...
            :: demo-modern and demo-legacy are in conflict. Remove demo-legacy? [y/N]\s
            :: demo-modern and demo-legacy are in conflict
            error: unresolvable package conflicts detected
            error: failed to prepare transaction (conflicting dependencies)
            """, JobError.DEPENDENCY_CONFLICT),
        Arguments.of("removal breaks a dependency", 1, """
            checking dependencies...
            :: removing demo-lib breaks dependency 'demo-lib>=2.0' required by demo-app
            error: failed to prepare transaction (could not satisfy dependencies)
            """, JobError.DEPENDENCY_CONFLICT),
        Arguments.of("failing post_install, exit 0", 0, """
            :: Processing package changes...
            installing demo-broken...
            post_install of demo-broken is failing on purpose
            error: command failed to execute correctly
            """, JobError.MAINTAINER_SCRIPT_FAILED),
        Arguments.of("no shell in the root, exit 0", 0, """
            installing demo-noshell...
            call to execv failed (No such file or directory)
            error: command failed to execute correctly
            """, JobError.MAINTAINER_SCRIPT_FAILED),
        Arguments.of("db.lck present", 1, """
            error: failed to init transaction (unable to lock database)
            error: could not lock database: File exists
              if you're sure a package manager is not already
              running, you can remove /tmp/pacx/sb3/root/var/lib/pacman/db.lck
            """, JobError.PKG_MANAGER_LOCKED),
        Arguments.of("db.lck present during -Sy", 1, ":: Synchronizing package databases...\n"
            + "error: failed to synchronize all databases (unable to lock database)\n", JobError.PKG_MANAGER_LOCKED),
        Arguments.of("not root", 1, "error: you cannot perform this operation unless you are root.\n",
            JobError.PERMISSION_DENIED),
        Arguments.of("disk full, CheckSpace", 1, """
            checking available disk space...
            error: Partition /tmp/pacx/sb5/root/usr/share/demo-big too full: 746 blocks needed, 256 blocks free
            error: not enough free disk space
            error: failed to commit transaction (not enough free disk space)
            Errors occurred, no packages were upgraded.
            """, JobError.DISK_FULL),
        Arguments.of("disk full, no CheckSpace", 1, """
            installing demo-big...
            error: could not extract /tmp/pacx/sb5/root/usr/share/demo-big/blob (Write failed)
            error: problem occurred while installing demo-big
            error: could not commit transaction
            error: failed to commit transaction (transaction aborted)
            Errors occurred, no packages were upgraded.
            """, JobError.DISK_FULL),
        Arguments.of("truncated package file", 1, """
            loading packages...
            error: could not open file /tmp/pacx/bad-1.0-1-any.pkg.tar.zst: Truncated zstd input
            error: '/tmp/pacx/bad-1.0-1-any.pkg.tar.zst': cannot open package file
            """, JobError.GPG_ERROR),
        Arguments.of("not a package", 1, """
            error: error while reading package /tmp/pacx/junk-1.0-1-any.pkg.tar.zst: Missing type keyword in mtree specification
            error: '/tmp/pacx/junk-1.0-1-any.pkg.tar.zst': libarchive error
            """, JobError.GPG_ERROR),
        Arguments.of("cached file gone (rollback)", 1,
            "error: '/tmp/pacx/nothere-1.0-1-any.pkg.tar.zst': could not find or read package\n",
            JobError.PKG_VERSION_NOT_FOUND),
        Arguments.of("checksum mismatch", 1, """
            :: File /tmp/pacx/sb3/root/var/cache/pacman/pkg/demo-modern-1.0-1-any.pkg.tar.zst is corrupted (invalid or corrupted package (checksum)).
            Do you want to delete it? [Y/n]\s
            Errors occurred, no packages were upgraded.
            error: failed to commit transaction (invalid or corrupted package (checksum))
            """, JobError.GPG_ERROR),
        Arguments.of("the mirror's file is larger than its database says", 1, """
            error: failed retrieving file 'demo-corrupt-1.0-1-any.pkg.tar.zst' from disk : expected download size exceeded
            warning: failed to retrieve some files
            error: failed to commit transaction (download library error)
            """, JobError.NETWORK_ERROR),
        Arguments.of("signature file missing", 1, """
            error: failed retrieving file 'demo-lib-2.0-1-any.pkg.tar.zst.sig' from disk : Couldn't open file /tmp/pacx/sb4/repo/demo-lib-2.0-1-any.pkg.tar.zst.sig
            warning: failed to retrieve some files
            error: failed to commit transaction (download library error)
            """, JobError.GPG_ERROR),
        Arguments.of("unsigned package file", 1,
            "error: '/tmp/pacx/pkgs/demo-lib-2.0-1-any.pkg.tar.zst': package missing required signature\n",
            JobError.GPG_ERROR),
        Arguments.of("unsigned database", 1, """
            error: demo: missing required signature
            error: failed retrieving file 'demo.db.sig' from disk : Couldn't open file /tmp/pacx/sb4/repo/demo.db.sig
            error: failed to synchronize all databases (download library error)
            """, JobError.GPG_ERROR),
        Arguments.of("bad signature", 1, """
            error: GPGME error: No data
            error: demo-lib: missing required signature
            :: File /tmp/pacx/sb4/root/var/cache/pacman/pkg/demo-lib-2.0-1-any.pkg.tar.zst is corrupted (invalid or corrupted package (PGP signature)).
            error: failed to commit transaction (invalid or corrupted package (PGP signature))
            """, JobError.GPG_ERROR),
        Arguments.of("server refuses (-Sy)", 1, """
            error: failed retrieving file 'demo.db' from 127.0.0.1:9 : Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server
            error: failed to synchronize all databases (download library error)
            """, JobError.NETWORK_ERROR),
        Arguments.of("server refuses (-S)", 1, """
            error: failed retrieving file 'demo-lib-2.0-1-any.pkg.tar.zst' from 127.0.0.1:9 : Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server
            warning: failed to retrieve some files
            error: failed to commit transaction (download library error)
            """, JobError.NETWORK_ERROR),
        Arguments.of("unknown host", 1, """
            error: failed retrieving file 'demo.db' from mirror.nonexistent.invalid : Could not resolve host: mirror.nonexistent.invalid
            warning: too many errors from mirror.nonexistent.invalid, skipping for the remainder of this transaction
            error: failed to synchronize all databases (invalid url for server)
            """, JobError.NETWORK_ERROR),
        Arguments.of("anything else", 1, "error: invalid option '--ignore'\n", JobError.PKG_MANAGER_ERROR));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captured")
  @DisplayName("Each captured pacman text gives its JOB-3 code")
  void classifies(String scenario, int exitCode, String output, JobError expected) {
    assertThat(PacmanFailure.classify(exitCode, output)).isEqualTo(expected);
  }

  @Test
  @DisplayName("A clean run is no error; firstError is pacman's first error line without its prefix")
  void successAndFirstError() {
    assertThat(PacmanFailure.classify(0, "installing demo-app...\n")).isNull();
    assertThat(PacmanFailure.firstError("""
        resolving dependencies...
        error: unresolvable package conflicts detected
        error: failed to prepare transaction (conflicting dependencies)
        """)).isEqualTo("unresolvable package conflicts detected");
    assertThat(PacmanFailure.firstError("Errors occurred, no packages were upgraded.\n"))
        .isEqualTo("Errors occurred, no packages were upgraded.");
    assertThat(PacmanFailure.firstError("")).isNull();
  }
}

package io.linuxpatch.packages.backend.dnf.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.jobs.JobError;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JOB-3 on the texts dnf 4.14 / rpm 4.18 printed on sandboxes on this machine kind (stdout and stderr as the
 * job log joins them), copied verbatim from the runs; DnfFailureSandboxTest provokes most of them live.
 */
@Tag("JOB-3")
class DnfFailureTest {

  static Stream<Arguments> realTexts() {
    return Stream.of(
        Arguments.of("unknown package", 1, """
            Last metadata expiration check: 0:00:04 ago on Thu Dec  3 04:24:51 2026.
            No match for argument: demo-nosuch
            Error: Unable to find a match: demo-nosuch
            """, Set.of(), JobError.PKG_NOT_FOUND),
        Arguments.of("unknown version of a known package", 1, """
            Last metadata expiration check: 0:00:05 ago on Thu Dec  3 04:24:51 2026.
            No match for argument: demo-tool-9.9
            Error: Unable to find a match: demo-tool-9.9
            """, Set.of("demo-tool-9.9"), JobError.PKG_VERSION_NOT_FOUND),
        Arguments.of("downgrade to a version no repository has", 1, """
            No package demo-tool-0.5 available.
            Error: No packages marked for downgrade.
            """, Set.of("demo-tool-0.5"), JobError.PKG_VERSION_NOT_FOUND),
        Arguments.of("upgrade of an unknown package", 1, """
            No match for argument: demo-nosuch
            Error: No packages marked for upgrade.
            """, Set.of(), JobError.PKG_NOT_FOUND),
        Arguments.of("conflict without --allowerasing", 1, """
            Error:\s
             Problem: problem with installed package demo-legacy-0.9-1.noarch
              - package demo-modern-1.0-1.noarch conflicts with demo-legacy provided by demo-legacy-0.9-1.noarch
              - conflicting requests
            (try to add '--allowerasing' to command line to replace conflicting packages or '--skip-broken' to skip uninstallable packages)
            """, Set.of(), JobError.DEPENDENCY_CONFLICT),
        Arguments.of("best candidate with a missing dependency (--best)", 1, """
            Error:\s
             Problem: cannot install the best update candidate for package demo-broken-1.0-1.noarch
              - nothing provides demo-nonexistent needed by demo-broken-1.1-1.noarch
            """, Set.of(), JobError.DEPENDENCY_CONFLICT),
        Arguments.of("failing %post: dnf exits 0", 0, """
              Installing       : demo-failpost-1.0-1.noarch                             1/1
              Running scriptlet: demo-failpost-1.0-1.noarch                             1/1
            demo-failpost: failing on purpose
            warning: %post(demo-failpost-1.0-1.noarch) scriptlet failed, exit status 1

            Error in POSTIN scriptlet in rpm package demo-failpost
              Verifying        : demo-failpost-1.0-1.noarch                             1/1

            Installed:
              demo-failpost-1.0-1.noarch

            Complete!
            """, Set.of(), JobError.MAINTAINER_SCRIPT_FAILED),
        Arguments.of("failing %pre: the transaction fails", 1, """
              Running scriptlet: demo-failpre-1.0-1.noarch                              1/1
            demo-failpre: failing on purpose
            error: %prein(demo-failpre-1.0-1.noarch) scriptlet failed, exit status 1

            Error in PREIN scriptlet in rpm package demo-failpre
              Verifying        : demo-failpre-1.0-1.noarch                              1/1
            Error: Transaction failed
            Failed:
              demo-failpre-1.0-1.noarch
            """, Set.of(), JobError.MAINTAINER_SCRIPT_FAILED),
        Arguments.of("lock held, exit_on_lock=True (exit 200)", 200, """
            Running transaction check
            RPMDB already locked by 6043
              The application with PID 6043 is: dnf
                Memory :  54 M RSS (111 MB VSZ)
                Started: Thu Dec  3 04:24:32 2026 - 00:11 ago
                State  : Sleeping
            """, Set.of(), JobError.PKG_MANAGER_LOCKED),
        Arguments.of("disk full: rpm's transaction test", 1, """
            Running transaction test
            Error: Transaction test error:
              installing package demo-big-1.0-1.noarch needs 2MB more space on the /usr/share filesystem

            Error Summary
            -------------
            Disk Requirements:
               At least 2MB more space needed on the /usr/share filesystem.
            """, Set.of(), JobError.DISK_FULL),
        Arguments.of("unsigned package with gpgcheck on", 1, """
            Downloading Packages:
            Package demo-lib-2.0-1.noarch.rpm is not signed
            Error: GPG check FAILED
            """, Set.of(), JobError.GPG_ERROR),
        Arguments.of("signed package whose key is not imported", 1, """
            Downloading Packages:
            warning: Could not set GPG_TTY to stdin: Inappropriate ioctl for device
            Public key for signed.rpm is not installed
            Error: GPG check FAILED
            """, Set.of(), JobError.GPG_ERROR),
        Arguments.of("unreachable baseurl", 1, """
            Unreachable                                     0.0  B/s |   0  B     00:00
            Errors during downloading metadata for repository 'unreachable':
              - Curl error (7): Couldn't connect to server for http://127.0.0.1:9/repo/repodata/repomd.xml [Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server]
            Error: Failed to download metadata for repo 'unreachable': Cannot download repomd.xml: Cannot download repodata/repomd.xml: All mirrors were tried
            """, Set.of(), JobError.NETWORK_ERROR),
        Arguments.of("unknown host", 1, """
            Errors during downloading metadata for repository 'nohost':
              - Curl error (6): Couldn't resolve host name for http://nonexistent.invalid/repo/repodata/repomd.xml [Could not resolve host: nonexistent.invalid]
            Error: Failed to download metadata for repo 'nohost': Cannot download repomd.xml: Cannot download repodata/repomd.xml: All mirrors were tried
            """, Set.of(), JobError.NETWORK_ERROR),
        Arguments.of("not root: the installroot's var/tmp", 1, """
            Config error: [Errno 13] Permission denied: '/tmp/dx/s/root/var/tmp/dnf-nobody-qew279yq': '/tmp/dx/s/root/var/tmp/dnf-nobody-qew279yq'
            """, Set.of(), JobError.PERMISSION_DENIED),
        Arguments.of("not root: the command needs root", 1, """
            Error: This command has to be run with superuser privileges (under the root user on most systems).
            """, Set.of(), JobError.PERMISSION_DENIED),
        Arguments.of("a plugin command without its plugin", 1, """
            No such command: versionlock. Please use /usr/bin/dnf --help
            It could be a DNF plugin command, try: "dnf install 'dnf-command(versionlock)'"
            """, Set.of(), JobError.COMMAND_NOT_FOUND),
        Arguments.of("a config file that is missing (or that the user may not read)", 1, """
            Config error: Config file "/tmp/dx/private/conf/dnf.conf" does not exist
            """, Set.of(), JobError.PKG_MANAGER_ERROR),
        Arguments.of("cache only before any refresh", 1, """
            Error: Cache-only enabled but no cache for 'demo'
            """, Set.of(), JobError.PKG_MANAGER_ERROR),
        Arguments.of("full disk with diskspacecheck=0: only an unpack error", 1, """
              Installing       : demo-big-1.0-1.noarch                                  1/1Error unpacking rpm package demo-big-1.0-1.noarch

              Verifying        : demo-big-1.0-1.noarch                                  1/1Error: Transaction failed
            """, Set.of(), JobError.PKG_MANAGER_ERROR));
  }

  @ParameterizedTest(name = "{0} → {4}")
  @MethodSource("realTexts")
  @DisplayName("every real text maps to its JOB-3 code")
  void classifies(String what, int exitCode, String output, Set<String> versioned, JobError expected) {
    assertThat(DnfFailure.classify(exitCode, output, versioned)).isEqualTo(expected);
  }

  @Test
  @DisplayName("a run that exited 0 without a scriptlet warning has no error, whatever else it printed")
  void successIsNoError() {
    assertThat(DnfFailure.classify(0, "No match for argument: demo-nosuch\nNo packages marked for removal.\n"
        + "Dependencies resolved.\nNothing to do.\nComplete!\n")).isNull();
    assertThat(DnfFailure.classify(0, "Package demo-base of lowest version already installed, cannot downgrade it.\n"))
        .isNull();
  }

  @Test
  @DisplayName("an unmatched argument without a version is PKG_NOT_FOUND even when another argument carried one")
  void versionContext() {
    String output = "No match for argument: demo-nosuch\nError: Unable to find a match: demo-nosuch\n";
    assertThat(DnfFailure.classify(1, output, Set.of("demo-tool-1.0-1"))).isEqualTo(JobError.PKG_NOT_FOUND);
    assertThat(DnfFailure.unmatched("No match for argument: a\nNo package b-1 available.\n")).containsExactly("a", "b-1");
  }

  @Test
  @DisplayName("error text: rpm's error: line, else dnf's Error: (with its problem lines), else the lock line, else the warning")
  void firstError() {
    assertThat(DnfFailure.firstError("x\nerror: %prein(demo-failpre-1.0-1.noarch) scriptlet failed, exit status 1\n"
        + "Error: Transaction failed\n")).isEqualTo("%prein(demo-failpre-1.0-1.noarch) scriptlet failed, exit status 1");
    assertThat(DnfFailure.firstError("Error: \n Problem: problem with installed package demo-legacy-0.9-1.noarch\n"
        + "  - conflicting requests\n(try to add '--allowerasing')\n"))
        .isEqualTo("Problem: problem with installed package demo-legacy-0.9-1.noarch - conflicting requests "
            + "(try to add '--allowerasing')");
    assertThat(DnfFailure.firstError("Error: Unable to find a match: demo-nosuch\n")).isEqualTo("Unable to find a match: demo-nosuch");
    assertThat(DnfFailure.firstError("RPMDB already locked by 6043\n  The application with PID 6043 is: dnf\n"))
        .isEqualTo("RPMDB already locked by 6043");
    assertThat(DnfFailure.firstError("warning: %post(demo-failpost-1.0-1.noarch) scriptlet failed, exit status 1\nComplete!\n"))
        .isEqualTo("%post(demo-failpost-1.0-1.noarch) scriptlet failed, exit status 1");
    assertThat(DnfFailure.firstError("Config error: [Errno 13] Permission denied: '/r/var/tmp'\n"))
        .isEqualTo("Config error: [Errno 13] Permission denied: '/r/var/tmp'");
    assertThat(DnfFailure.firstError("")).isNull();
  }
}

package io.linuxpatch.packages.backend.apt.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.process.CapturedOutput;
import io.linuxpatch.process.ProcessOutcome;
import io.linuxpatch.process.ProcessResult;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JOB-3: the texts apt 2.6 / dpkg 1.21 print on this machine kind (notes, and the lock texts found by experiment). */
@Tag("JOB-3")
class AptFailureTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      E: Unable to locate package nosuch                                                              | PKG_NOT_FOUND
      E: Package 'ghost' has no installation candidate                                                | PKG_NOT_FOUND
      E: Version '9.9' for 'demo-tool' was not found                                                  | PKG_VERSION_NOT_FOUND
      E: Unable to correct problems, you have held broken packages.                                   | DEPENDENCY_CONFLICT
      The following packages have unmet dependencies:                                                 | DEPENDENCY_CONFLICT
      E: Packages need to be removed but remove is disabled.                                          | DEPENDENCY_CONFLICT
      E: Could not get lock /r/var/lib/dpkg/lock-frontend. It is held by process 4541 (apt-get)       | PKG_MANAGER_LOCKED
      E: Unable to acquire the dpkg frontend lock (/r/var/lib/dpkg/lock-frontend), is another process using it? | PKG_MANAGER_LOCKED
      E: Unable to lock the administration directory (/r/var/lib/dpkg/), is another process using it? | PKG_MANAGER_LOCKED
      E: Unable to lock directory /r/var/lib/apt/lists/                                               | PKG_MANAGER_LOCKED
      E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem.    | DPKG_INTERRUPTED
      installed failer package post-installation script subprocess returned error exit status 1       | MAINTAINER_SCRIPT_FAILED
      E: Failed to fetch http://deb.example/pool/x.deb  Temporary failure resolving 'deb.example'     | NETWORK_ERROR
      W: Failed to fetch http://deb.example/dists/stable/InRelease                                    | NETWORK_ERROR
      E: The repository 'http://deb.example stable Release' is not signed.                            | GPG_ERROR
      W: GPG error: http://deb.example stable InRelease: NO_PUBKEY 0123456789ABCDEF                   | GPG_ERROR
      E: Write error - write (28: No space left on device)                                            | DISK_FULL
      E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)          | PERMISSION_DENIED
      E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?        | PERMISSION_DENIED
      E: Sub-process /usr/bin/dpkg returned an error code (2)                                         | PKG_MANAGER_ERROR
      """)
  void classifies(String text, JobError expected) {
    assertThat(AptFailure.classify(100, "Reading package lists...\n" + text + "\n")).isEqualTo(expected);
  }

  @Test
  @DisplayName("a run that exited 0 has no error, whatever it printed")
  void successIsNoError() {
    assertThat(AptFailure.classify(0, "W: Failed to fetch something")).isNull();
  }

  @Test
  @DisplayName("a failing maintainer script stays MAINTAINER_SCRIPT_FAILED even when it printed Permission denied")
  void maintainerScriptBeatsItsOwnOutput() {
    String output = "touch: cannot touch '/x': Permission denied\n"
        + "dpkg: error processing package failer (--configure):\n"
        + " installed failer package post-installation script subprocess returned error exit status 1\n"
        + "E: Sub-process /usr/bin/dpkg returned an error code (1)\n";
    assertThat(AptFailure.classify(100, output)).isEqualTo(JobError.MAINTAINER_SCRIPT_FAILED);
    assertThat(AptFailure.firstError(output)).isEqualTo("Sub-process /usr/bin/dpkg returned an error code (1)");
  }

  @Test
  @DisplayName("error is apt's first E: line, else dpkg's error line, else the last line")
  void firstError() {
    assertThat(AptFailure.firstError("a\nE: first\nE: second\n")).isEqualTo("first");
    assertThat(AptFailure.firstError("x\ndpkg: error: cannot access archive\nmore\n"))
        .isEqualTo("dpkg: error: cannot access archive");
    assertThat(AptFailure.firstError("one\ntwo\n\n")).isEqualTo("two");
    assertThat(AptFailure.firstError("")).isNull();
  }

  @ParameterizedTest(name = "simulation: {0} → {1}")
  @CsvSource(delimiter = '|', textBlock = """
      E: Unable to locate package nosuch                                                              | PKG_NOT_FOUND
      E: Version '9.9' for 'demo-tool' was not found                                                  | PKG_VERSION_NOT_FOUND
      E: Unable to correct problems, you have held broken packages.                                   | DEPENDENCY_CONFLICT
      E: Could not get lock /r/var/lib/dpkg/lock-frontend. It is held by process 4541 (apt-get)       | BACKEND_UNAVAILABLE
      E: dpkg was interrupted, you must manually run 'dpkg --configure -a' to correct the problem.    | BACKEND_UNAVAILABLE
      """)
  @DisplayName("a refused simulation is read by the same rules as a job: the client's mistakes are 4xx, the rest 503")
  void simulationRefusals(String text, ErrorCode expected) {
    BackendRefusal refusal = AptFailure.refusal(result(100, ProcessOutcome.EXITED, "Reading package lists...\n" + text));
    assertThat(refusal.code()).isEqualTo(expected);
    assertThat(refusal.exitCode()).isEqualTo(100);
    assertThat(refusal.toolError()).isEqualTo(text.substring(3));
    assertThat(refusal.getMessage()).endsWith(text.substring(3));
  }

  @Test
  @DisplayName("a simulation that ran out of time is TIMEOUT, whatever it printed")
  void simulationTimeout() {
    BackendRefusal refusal = AptFailure.refusal(result(143, ProcessOutcome.TIMED_OUT, "E: Unable to locate package x"));
    assertThat(refusal.code()).isEqualTo(ErrorCode.TIMEOUT);
  }

  @Test
  @DisplayName("apt's status lines are never a job's error text")
  void statusLinesAreNoError() {
    assertThat(AptFailure.firstError("Unpacking demo (1.0) ...\npmstatus:demo:40.0000:Installing demo\n"))
        .isEqualTo("Unpacking demo (1.0) ...");
  }

  private static ProcessResult result(int exit, ProcessOutcome outcome, String stderr) {
    return new ProcessResult(1, exit, outcome, false, Duration.ZERO, CapturedOutput.EMPTY,
        new CapturedOutput(stderr, false, stderr.length()));
  }
}

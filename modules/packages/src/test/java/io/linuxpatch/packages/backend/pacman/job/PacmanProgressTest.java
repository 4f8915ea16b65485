package io.linuxpatch.packages.backend.pacman.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.job.JobLog;
import io.linuxpatch.process.OutputChannel;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Progress from a transcript pacman 6.0 printed here (non-tty) for -S demo-app with one post-transaction hook. */
class PacmanProgressTest {

  /** Captured from pacman --noconfirm -S -- demo-app on a sandbox with a hook in HookDir. */
  static final List<String> INSTALL_TRANSCRIPT = List.of(
      "resolving dependencies...",
      "looking for conflicting packages...",
      "",
      "Packages (2) demo-lib-2.0-1  demo-app-2.0-1",
      "",
      "Total Download Size:   0.00 MiB",
      "Total Installed Size:  0.00 MiB",
      "",
      ":: Proceed with installation? [Y/n] ",
      ":: Retrieving packages...",
      " demo-app-2.0-1-any downloading...",
      " demo-lib-2.0-1-any downloading...",
      "checking keyring...",
      "checking package integrity...",
      "loading package files...",
      "checking for file conflicts...",
      ":: Processing package changes...",
      "installing demo-lib...",
      "installing demo-app...",
      ":: Running post-transaction hooks...",
      "(1/1) Recording the transaction...",
      "hook ran");

  @Test
  @DisplayName("Every phase moves the progress forward, never back; each line lands in the job log")
  void phases() {
    List<JsonObject> sent = new ArrayList<>();
    AtomicLong clock = new AtomicLong();
    JobLog log = new JobLog();
    PacmanProgress progress = new PacmanProgress(log, sent::add, clock::get);

    List<Integer> seen = new ArrayList<>();
    for (String line : INSTALL_TRANSCRIPT) {
      clock.addAndGet(PacmanProgress.MIN_INTERVAL_NANOS); // slow enough that nothing is throttled
      progress.onLine(OutputChannel.STDOUT, line);
      seen.add(progress.progress());
    }
    progress.flush();

    assertThat(seen).isSorted();
    assertThat(sent).extracting(j -> j.getInteger("progress")).isSorted().contains(5, 30, 95);
    assertThat(sent).extracting(j -> j.getString("message"))
        .contains("transaction of 2 packages", "downloading demo-app-2.0-1-any", "installing demo-lib",
            "installing demo-app", "Recording the transaction...");
    assertThat(progress.progress()).isEqualTo(95);
    assertThat(log.lines()).containsExactlyElementsOf(dedupeConsecutive(INSTALL_TRANSCRIPT));
    assertThat(progress.lockRefused()).isFalse();
    assertThat(progress.scriptletFailed()).isFalse();
  }

  @Test
  @DisplayName("Sends are throttled to one per 100 ms, and flush() sends the newest value held back")
  void throttled() {
    List<JsonObject> sent = new ArrayList<>();
    PacmanProgress progress = new PacmanProgress(new JobLog(), sent::add, () -> 0L);

    INSTALL_TRANSCRIPT.forEach(line -> progress.onLine(OutputChannel.STDOUT, line));
    assertThat(sent).hasSize(1);
    progress.flush();

    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).getInteger("progress")).isEqualTo(95);
  }

  @Test
  @DisplayName("stderr's lock refusal and scriptlet failure are remembered for the job's classification")
  void rememberedFailures() {
    PacmanProgress progress = new PacmanProgress(new JobLog(), j -> { }, () -> 0L);
    progress.onLine(OutputChannel.STDERR, "error: failed to init transaction (unable to lock database)");
    progress.onLine(OutputChannel.STDERR, "error: command failed to execute correctly");

    assertThat(progress.lockRefused()).isTrue();
    assertThat(progress.scriptletFailed()).isTrue();
  }

  /** JobLog drops a line equal to the one before (apt repeats its lock line); blank lines are lines too. */
  private static List<String> dedupeConsecutive(List<String> lines) {
    List<String> out = new ArrayList<>();
    String previous = null;
    for (String line : lines) {
      if (!line.equals(previous)) {
        out.add(line);
      }
      previous = line;
    }
    return out;
  }
}

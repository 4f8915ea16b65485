package io.linuxpatch.packages.backend.apt.job;

import io.linuxpatch.packages.job.JobLog;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.process.OutputChannel;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Status-Fd parsing, throttling and the lock-wait message, on the lines apt 2.6 printed in experiments. */
class JobOutputListenerTest {

  final JobLog log = new JobLog();
  final List<JsonObject> sent = new ArrayList<>();
  final AtomicLong clock = new AtomicLong();
  final JobOutputListener listener = new JobOutputListener(log, sent::add, clock::get);

  private void line(String text) {
    clock.addAndGet(JobOutputListener.MIN_INTERVAL_NANOS);
    listener.onLine(OutputChannel.STDOUT, text);
  }

  @Test
  @DisplayName("downloads fill the first 20 %, dpkg the rest; progress never goes back; status lines stay out of the logs")
  void progressGrows() {
    line("Reading package lists...");
    line("dlstatus:1:0.0000:Retrieving file 1 of 1");
    line("dlstatus:1:100.0000:Retrieving file 1 of 1");
    line("pmstatus:dpkg-exec:0.0000:Running dpkg");
    line("pmstatus:demo:20.0000:Unpacking demo (amd64)");
    line("pmstatus:dpkg-exec:40.0000:Running dpkg");
    line("pmstatus:demo:80.0000:Installed demo (amd64)");
    line("pmerror:failer:60.0000:installed failer package post-installation script subprocess returned error exit status 1");

    assertThat(sent).extracting(j -> j.getInteger("progress")).containsExactly(0, 20, 36, 52, 84); // the second 20 is no news within 1 s
    assertThat(sent.get(4).getString("message")).isEqualTo("Installed demo (amd64)");
    assertThat(log.lines()).containsExactly("Reading package lists...");
    assertThat(listener.statusErrors()).singleElement().asString().contains("subprocess returned error exit status 1");
  }

  @Test
  @DisplayName("status lines faster than 10/s are throttled")
  void throttled() {
    for (int i = 0; i <= 100; i++) {
      clock.addAndGet(JobOutputListener.MIN_INTERVAL_NANOS / 10);
      listener.onLine(OutputChannel.STDOUT, "pmstatus:demo:" + i + ".0000:Unpacking demo");
    }
    assertThat(sent).hasSizeBetween(10, 12);
  }

  @Test
  @DisplayName("apt's lock-wait line becomes one message naming the holder, said at once")
  void lockWait() {
    String wait = "Waiting for cache lock: Could not get lock /r/var/lib/dpkg/lock-frontend. It is held by process 4541 (python3)...";
    listener.onLine(OutputChannel.STDOUT, wait);
    listener.onLine(OutputChannel.STDOUT, wait);
    assertThat(sent).singleElement().satisfies(j -> assertThat(j.getString("message"))
        .isEqualTo("waiting for the package manager lock held by process 4541 (python3)"));
    assertThat(log.lines()).containsExactly(wait);
  }

  @Test
  @DisplayName("the log keeps the last 500 lines")
  void bounded() {
    for (int i = 0; i < 700; i++) {
      log.add("line " + i);
    }
    assertThat(log.lines()).hasSize(JobLog.MAX_LINES).startsWith("line 200").endsWith("line 699");
  }
}

package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.packages.backend.apt.sandbox.DebPackage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPR-1's closing number: one security patch run over four developer-mode agents, with {@code fleet apply} (one
 * batch of 4, including the CLI's JVM start) against the same jobs submitted one host at a time with curl and waited
 * for. The update's postinst sleeps {@value #POSTINST_SECONDS} s, as a service restart would. Printed, not asserted
 * (only that every run patched every host); run with
 * {@code mvn -B verify -pl tests -am -Dtest=FleetRolloutBenchmark -Dgroups=benchmark -DexcludedGroups=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class FleetRolloutBenchmark {

  static final int POSTINST_SECONDS = 3;
  static final int HOSTS = 4;

  @TempDir
  Path work;
  DevFleet fleet;

  @AfterEach
  void stop() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  @DisplayName("fleet apply --batch 4 against curl one host at a time: 4 hosts, a security update whose postinst takes 3 s")
  void rolloutAgainstCurl() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    fleet = DevFleet.start(work, HOSTS);
    for (DevFleet.Member member : fleet.members) {
      member.sandbox().publishSecurityUpdate(DebPackage.of("demo-ssl", "1.0+deb2", "demo TLS library\nSlow postinst.")
          .withSource("demo-ssl-src").withPostinst("if [ \"$1\" = configure ]; then sleep " + POSTINST_SECONDS
              + "; fi\n"));
    }
    String[] hosts = fleet.members.stream().flatMap(m -> java.util.stream.Stream.of("--host", m.url()))
        .toArray(String[]::new);
    for (int round = 1; round <= 2; round++) {
      Path plan = work.resolve("plan-" + round + ".json");
      Path run = work.resolve("run-" + round + ".json");
      assertThat(fleet.fleet(concat(new String[] {"plan", "--security-only", "--out", plan.toString()}, hosts))
          .exitCode()).isZero();
      long started = System.nanoTime();
      ExternalCommand apply = fleet.fleet("apply", "--plan", plan.toString(), "--batch", "4", "--record",
          run.toString());
      double fleetSeconds = (System.nanoTime() - started) / 1e9;
      assertThat(apply.exitCode()).as(apply.output()).isZero();
      patched("1.0+deb2");
      assertThat(fleet.fleet("rollback", "--run", run.toString(), "--batch", "4").exitCode()).isZero();
      patched("1.0");

      started = System.nanoTime();
      ExternalCommand curl = ExternalCommand.run(List.of("sh", "-c", curlOneAtATime()), Duration.ofMinutes(5));
      double curlSeconds = (System.nanoTime() - started) / 1e9;
      assertThat(curl.exitCode()).as(curl.output()).isZero();
      patched("1.0+deb2");
      Path record = work.resolve("curl-run-" + round + ".json");
      AgentUnderTest.write(record, curl.output().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
      assertThat(fleet.fleet("rollback", "--run", record.toString(), "--batch", "4").exitCode()).isZero();
      patched("1.0");
      System.out.printf("fleet rollout round %d over %d hosts: fleet apply --batch 4 %.2f s, curl one host at a time "
          + "%.2f s%n", round, HOSTS, fleetSeconds, curlSeconds);
    }
  }

  private void patched(String version) {
    for (DevFleet.Member member : fleet.members) {
      assertThat(member.sandbox().installed()).containsEntry("demo-ssl", version);
    }
  }

  /**
   * The curl loop an operator would write, printing a run record of its jobs at the end (so that fleet rollback can
   * undo them): each host's job submitted and polled every 0.2 s until it ends, then the next host.
   */
  private String curlOneAtATime() {
    Path certs = fleet.clientDir().resolve("certs");
    String c = "--cacert " + certs.resolve("ca.pem") + " --cert " + certs.resolve("client.pem") + " --key "
        + certs.resolve("client.key.pem");
    String urls = fleet.members.stream().map(DevFleet.Member::url).collect(Collectors.joining(" "));
    return "set -e\nC=\"" + c + "\"\nREC=''\nfor U in " + urls + "; do\n"
        + "  ANSWER=$(curl -s $C -X POST -H Content-Type:application/json -d '{\"security_only\":true}' "
        + "$U/api/v1/patches/apply)\n"
        + "  JOB=$(echo \"$ANSWER\" | sed -n 's/.*\"job_id\":\"\\([^\"]*\\)\".*/\\1/p')\n"
        + "  [ -n \"$JOB\" ] || { echo \"no job from $U: $ANSWER\"; exit 1; }\n"
        + "  until curl -s $C $U/api/v1/jobs/$JOB | grep -q '\"status\":\"\\(completed\\|failed\\)\"'; do sleep 0.2; done\n"
        + "  REC=\"$REC${REC:+,}{\\\"host\\\":\\\"$U\\\",\\\"outcome\\\":\\\"completed\\\",\\\"job_id\\\":\\\"$JOB\\\"}\"\n"
        + "done\n"
        + "echo \"{\\\"kind\\\":\\\"linux-patch-api fleet run\\\",\\\"operation\\\":\\\"apply\\\","
        + "\\\"started_at\\\":\\\"2026-01-01T00:00:00Z\\\",\\\"hosts\\\":[$REC]}\"\n";
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}

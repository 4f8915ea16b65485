package io.linuxpatch.tests;

import io.linuxpatch.agent.Agent;
import io.linuxpatch.agent.config.ConfigFile;
import io.linuxpatch.agent.dev.DevSetup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Several developer-mode agents on one machine with ONE development CA (OPR-1's test fleet): the first directory
 * makes the CA, the others take it with {@code dev --ca-from} (here {@link DevSetup} directly), each with its own
 * port and apt demo sandbox, started in-process. Any of their client certificates works with every agent.
 */
final class DevFleet implements AutoCloseable {

  /** One agent of the fleet: its developer-mode directory, URL and sandbox (to change behind the agent's back). */
  record Member(DevSetup.Layout layout, int port, AptFixture sandbox, Agent agent) {
    String url() {
      return "https://localhost:" + port;
    }
  }

  final List<Member> members = new ArrayList<>();

  /** {@code count} agents under {@code work/host1…}, the CA made by host1's. */
  static DevFleet start(Path work, int count) throws Exception {
    DevFleet fleet = new DevFleet();
    try {
      Path first = work.resolve("host1");
      for (int i = 1; i <= count; i++) {
        Path dir = work.resolve("host" + i);
        AptFixture sandbox = new AptFixture();
        // Made first, so that developer mode finds a complete sandbox and reuses it, and the test keeps a handle on it.
        sandbox.create(dir);
        int port = AgentUnderTest.freePort();
        DevSetup.Layout layout = new DevSetup(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
            .prepare(dir, port, "127.0.0.1", "apt", i == 1 ? null : first);
        ConfigFile file = ConfigFile.read(layout.config());
        Agent agent = Agent.start(layout.config(), file.document(), file.config()).await(60, TimeUnit.SECONDS);
        fleet.members.add(new Member(layout, port, sandbox, agent));
      }
      return fleet;
    } catch (Exception | Error e) {
      fleet.close();
      throw e;
    }
  }

  Member member(int i) {
    return members.get(i);
  }

  /** The developer-mode directory whose client certificate the fleet command uses. */
  Path clientDir() {
    return members.get(0).layout().dir();
  }

  /** {@code linux-patch-api fleet ARGS… --dir host1} in a child JVM with the test's class path. */
  ExternalCommand fleet(String... args) throws Exception {
    return ExternalCommand.run(fleetCommandLine(args), Duration.ofMinutes(3));
  }

  /** The argv of {@code linux-patch-api fleet ARGS… --dir host1} with the test's class path. */
  List<String> fleetCommandLine(String... args) {
    List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
        System.getProperty("java.class.path"), "io.linuxpatch.agent.Main", "fleet"));
    argv.addAll(List.of(args));
    argv.addAll(List.of("--dir", clientDir().toString()));
    return argv;
  }

  @Override
  public void close() {
    members.forEach(m -> m.agent().stop());
  }
}

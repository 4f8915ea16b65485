package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What clustering costs on the host: with the default (disabled) the agent listens on its API port and
 * nothing else and runs no Hazelcast thread; enabled, it adds the Hazelcast member port and the event-bus
 * port, both on the configured loopback interface only. Prints the idle RSS of both.
 */
class ClusterFootprintTest {

  @TempDir
  Path dir;

  private static JsonObject clusterCheck(ChildAgent agent) throws Exception {
    return agent.send("GET", "/health", null).getJsonObject("data").getJsonObject("checks").getJsonObject("cluster");
  }

  @Test
  @DisplayName("the runnable jar does not register Hazelcast as a Vert.x service, so an agent without clustering never loads it")
  void runnableJarHasNoHazelcastService() throws Exception {
    Path jar = Path.of("../modules/agent/target/linux-patch-api.jar");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(jar), "the runnable jar is built by `package`");
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      var entry = file.getEntry("META-INF/services/io.vertx.core.spi.VertxServiceProvider");
      String services = entry == null ? "" : new String(file.getInputStream(entry).readAllBytes());
      assertThat(services).doesNotContain("hazelcast");
      assertThat(file.getEntry("io/vertx/spi/cluster/hazelcast/HazelcastClusterManager.class")).isNotNull();
    }
  }

  /** The JVM's own record of every class it loads, written to {@code file}. */
  private static List<String> withClassLog(List<String> flags, Path file) {
    List<String> all = new java.util.ArrayList<>(flags);
    all.add("-Xlog:class+load=info:file=" + file);
    return all;
  }

  /** Lets start-up work (JIT, first GC) settle, then reads RSS. */
  private static long idleRss(ChildAgent agent) throws Exception {
    Thread.sleep(10_000);
    return ListeningSockets.rssKib(agent.pid());
  }

  @Test
  @DisplayName("disabled: only the API port, no Hazelcast class or thread; enabled: + member and event-bus ports on 127.0.0.1 only")
  void portsAndMemory() throws Exception {
    AgentUnderTest setup = new AgentUnderTest(dir);
    // The production flags (heap, metaspace and code-cache caps): clustering must fit in them.
    List<String> flags = ChildAgent.productionFlags();
    assertThat(flags).contains("-XX:MaxMetaspaceSize=96m");
    long plainRss;
    Path plainClasses = dir.resolve("classes-plain.log");
    try (ChildAgent agent = ChildAgent.start(setup, withClassLog(flags, plainClasses))) {
      assertThat(clusterCheck(agent).getJsonObject("details").getBoolean("enabled")).isFalse();
      plainRss = idleRss(agent);
      Set<ListeningSockets.Socket> sockets = ListeningSockets.of(agent.pid());
      assertThat(sockets.stream().map(ListeningSockets.Socket::port).collect(Collectors.toSet()))
          .as("listening sockets of the agent with clustering disabled").containsExactly(setup.port);
      assertThat(ListeningSockets.threadNames(agent.pid())).noneMatch(name -> name.startsWith("hz."));
    }
    // On the Maven classpath Vert.x' ServiceLoader instantiates HazelcastClusterManager in every instance it
    // builds (a handful of classes, no Hazelcast instance); the runnable jar drops that registration (below).
    assertThat(Files.readString(plainClasses)).contains("io.linuxpatch.agent.Agent ")
        .doesNotContain("com.hazelcast.instance.").doesNotContain("com.hazelcast.internal.");

    ClusterSetup cluster = new ClusterSetup(setup);
    setup.writeConfig(cluster.yaml());
    long clusteredRss;
    Path clusteredClasses = dir.resolve("classes-clustered.log");
    try (ChildAgent agent = ChildAgent.start(setup, withClassLog(flags, clusteredClasses))) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> "joined".equals(clusterCheck(agent).getJsonObject("details").getString("state")));
      clusteredRss = idleRss(agent);
      Set<ListeningSockets.Socket> sockets = ListeningSockets.of(agent.pid());
      assertThat(sockets).hasSize(3).allMatch(ListeningSockets.Socket::loopbackV4);
      assertThat(sockets.stream().map(ListeningSockets.Socket::port).collect(Collectors.toSet()))
          .contains(setup.port)
          .anyMatch(p -> p >= cluster.port && p < cluster.port + 20);
      assertThat(ListeningSockets.threadNames(agent.pid())).anyMatch(name -> name.startsWith("hz."));
    }
    assertThat(Files.readString(clusteredClasses)).contains("com.hazelcast.");
    System.out.printf("agent idle RSS with conf/jvm.options: clustering disabled %d KiB, enabled %d KiB, "
        + "extra %d KiB%n", plainRss, clusteredRss, clusteredRss - plainRss);
  }
}

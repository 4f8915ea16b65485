package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.linuxpatch.cluster.ClusterNode;
import io.linuxpatch.contract.Addresses;
import io.linuxpatch.pki.LeafSpec;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clustered mode end to end (CLU-1, JOB-9): the agent in a child JVM with clustering on and a demo sandbox
 * (real apt), an {@code events} subscriber in another child JVM, and nodes started in the test JVM — one with
 * a certificate of the agent's CA, one of a foreign CA. Real mutual TLS 1.3 on loopback throughout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEventsTest {

  @TempDir
  static Path dir;
  AgentUnderTest setup;
  ClusterSetup cluster;
  ChildAgent agent;
  io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox sandbox;
  EventsSubscriber subscriber;
  JsonObject firstClusterCheck;
  ClusterNode fleetManager;
  final List<JsonObject> fleetManagerEvents = new CopyOnWriteArrayList<>();
  boolean demoAppInstalled;

  @BeforeAll
  void start() throws Exception {
    AgentUnderTest.assumeSandboxTools();
    setup = new AgentUnderTest(dir);
    cluster = new ClusterSetup(setup);
    sandbox = setup.useDemoSandbox("jobs:\n  lock_wait_seconds: 60\n" + cluster.yaml() + AgentUnderTest.TEST_CLIENT_ADMIN);
    agent = ChildAgent.start(setup);
    firstClusterCheck = clusterCheck();
  }

  @AfterAll
  void stop() throws Exception {
    if (subscriber != null) {
      subscriber.close();
    }
    if (fleetManager != null) {
      fleetManager.leave().await(20, TimeUnit.SECONDS);
    }
    if (agent != null) {
      agent.close();
    }
  }

  private JsonObject clusterCheck() throws Exception {
    return agent.send("GET", "/health", null).getJsonObject("data").getJsonObject("checks").getJsonObject("cluster");
  }

  private int members() throws Exception {
    return clusterCheck().getJsonObject("details").getInteger("members");
  }

  private int jobCount() throws Exception {
    return agent.send("GET", "/api/v1/jobs?limit=1", null).getJsonObject("data").getInteger("total");
  }

  /** Installs demo-app, or removes it when installed: a small real job either way. Returns the job id. */
  private String toggleDemoApp() throws Exception {
    JsonObject answer = demoAppInstalled ? agent.send("DELETE", "/api/v1/packages/demo-app", null)
        : agent.send("POST", "/api/v1/packages", "{\"packages\":[{\"name\":\"demo-app\"}]}");
    assertThat(answer.getInteger("_status")).as(answer.encode()).isEqualTo(202);
    demoAppInstalled = !demoAppInstalled;
    return answer.getJsonObject("data").getString("job_id");
  }

  private JsonObject finished(String id) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> !agent
        .send("GET", "/api/v1/jobs/" + id, null).getJsonObject("data").getString("status").matches("pending|running"));
    try {
      return agent.send("GET", "/api/v1/jobs/" + id, null).getJsonObject("data");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The subscriber's job events of one job, up to and including its job_complete. */
  private List<EventsSubscriber.Line> eventsOf(String jobId) throws InterruptedException {
    List<EventsSubscriber.Line> events = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      EventsSubscriber.Line line = subscriber.next(Duration.ofSeconds(1));
      if (line == null || !line.event().containsKey("type")) {
        continue; // an audit event, or nothing yet
      }
      if (jobId.equals(line.event().getJsonObject("job").getString("job_id"))) {
        events.add(line);
        if ("job_complete".equals(line.event().getString("type"))) {
          return events;
        }
      }
    }
    throw new AssertionError("no job_complete for " + jobId + " within 90 s; got " + events);
  }

  /** The agent's event-bus port: its third listening socket, neither the API nor the Hazelcast member port. */
  private int agentEventBusPort() throws Exception {
    return ListeningSockets.of(agent.pid()).stream().mapToInt(ListeningSockets.Socket::port)
        .filter(p -> p != setup.port && (p < cluster.port || p >= cluster.port + 20)).findFirst().orElseThrow();
  }

  @Test
  @Order(1)
  @DisplayName("the API answers while the cluster is still joining; /health then reports joined and the members")
  void answersBeforeJoined() throws Exception {
    assertThat(firstClusterCheck.getJsonObject("details").getString("state")).as(firstClusterCheck.encode())
        .isEqualTo("joining");
    assertThat(firstClusterCheck.getString("status")).isEqualTo("degraded");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> "joined".equals(clusterCheck().getJsonObject("details").getString("state")));
    assertThat(clusterCheck().getString("status")).isEqualTo("healthy");
    assertThat(members()).isEqualTo(1);

    subscriber = EventsSubscriber.start(setup.configFile, dir, "--address", Addresses.JOB_EVENTS,
        "--address", Addresses.AUDIT_EVENTS);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> members() == 2);
    // Audited requests until one of their audit events arrives: the subscription is known and connected.
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
      agent.send("GET", "/api/v1/jobs", null);
      EventsSubscriber.Line line = subscriber.next(Duration.ofMillis(1500));
      return line != null && line.event().containsKey("event");
    });
    assertThat(subscriber.alive()).isTrue();
  }

  @Test
  @Order(2)
  @DisplayName("a real install job's job_status … job_complete events reach the events subscriber in order, one JSON line each")
  void jobEventsInOrder() throws Exception {
    String id = toggleDemoApp();
    List<EventsSubscriber.Line> events = eventsOf(id);
    JsonObject job = finished(id);
    assertThat(job.getString("status")).isEqualTo("completed");

    assertThat(events.size()).isGreaterThanOrEqualTo(2);
    assertThat(events.get(0).event().getString("type")).isEqualTo("job_status");
    EventsSubscriber.Line last = events.get(events.size() - 1);
    assertThat(last.event().getString("type")).isEqualTo("job_complete");
    assertThat(last.event().getJsonObject("job").getString("status")).isEqualTo("completed");
    assertThat(last.event().getJsonObject("job").getString("updated_at")).isEqualTo(job.getString("updated_at"));
    List<String> statuses = events.stream().map(l -> l.event().getJsonObject("job").getString("status")).toList();
    List<String> order = List.of("pending", "running", "completed");
    List<Integer> ranks = statuses.stream().map(order::indexOf).toList();
    assertThat(ranks).as("statuses %s", statuses).doesNotContain(-1).isSorted();
    assertThat(statuses).contains("running");
    List<Instant> times = events.stream().map(l -> Instant.parse(l.event().getJsonObject("job").getString("updated_at")))
        .toList();
    assertThat(times).isSorted();
    assertThat(subscriber.notJson()).isEmpty();
  }

  @Test
  @Order(3)
  @DisplayName("median time from a job's updated_at to the event printed by the subscriber, over 100 events")
  void latencyOverHundredEvents() throws Exception {
    List<Long> latencies = new ArrayList<>();
    int jobs = 0;
    while (latencies.size() < 100) {
      String id = toggleDemoApp();
      jobs++;
      for (EventsSubscriber.Line line : eventsOf(id)) {
        Instant changed = Instant.parse(line.event().getJsonObject("job").getString("updated_at"));
        latencies.add(line.readAtMillis() - changed.toEpochMilli());
      }
      assertThat(finished(id).getString("status")).isEqualTo("completed");
    }
    List<Long> sorted = new ArrayList<>(latencies.subList(0, 100));
    Collections.sort(sorted);
    long median = (sorted.get(49) + sorted.get(50)) / 2;
    System.out.printf("job state change -> event printed by the subscriber: median %d ms, p90 %d ms, max %d ms "
        + "over 100 events (%d jobs)%n", median, sorted.get(89), sorted.get(99), jobs);
    assertThat(sorted.get(0)).as("the clock is shared: no event can be read before it happened").isGreaterThanOrEqualTo(0);
    assertThat(median).isLessThan(500);
  }

  @Test
  @Order(4)
  @DisplayName("a node of the agent's CA gets events but cannot start a job through any command address, even by registering on it")
  void validNodeCannotCommand() throws Exception {
    fleetManager = cluster.validNode("fleet-manager");
    fleetManager.vertx().eventBus().<JsonObject>consumer(Addresses.JOB_EVENTS, m -> fleetManagerEvents.add(m.body()))
        .completion().await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> members() == 3);
    int before = jobCount();

    JsonObject submit = new JsonObject().put("operation", "install")
        .put("params", new JsonObject().put("packages", new io.vertx.core.json.JsonArray().add(
            new JsonObject().put("name", "demo-tool"))))
        .put("request_id", "remote-1").put("requested_by", new JsonObject().put("cn", "fleet-manager"));
    JsonObject execute = new JsonObject().put("job_id", "remote-job").put("operation", "install")
        .put("params", submit.getJsonObject("params")).put("timeout_seconds", 60).put("lock_wait_seconds", 5);
    var bus = fleetManager.vertx().eventBus();
    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(3000);
    for (String address : List.of(Addresses.JOBS_SUBMIT, Addresses.PACKAGES_EXECUTE, Addresses.AUDIT_RECORD,
        Addresses.SYSTEM_REBOOT)) {
      JsonObject body = address.equals(Addresses.PACKAGES_EXECUTE) ? execute : submit;
      // No node of the cluster, the agent's included, has a consumer there: refused at once, not timed out.
      assertThatThrownBy(() -> bus.request(address, body, quick).await(10, TimeUnit.SECONDS))
          .as("a request to %s from another node", address)
          .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
      bus.send(address, body);
      bus.publish(address, body);
    }
    Thread.sleep(3000);
    assertThat(jobCount()).isEqualTo(before);
    assertThat(Files.exists(dir.resolve("data/reboot-requested"))).isFalse();

    // Registering on the agent's command addresses does not divert the agent's own traffic to this node.
    List<Object> hijacked = new CopyOnWriteArrayList<>();
    List<MessageConsumer<Object>> hijackers = new ArrayList<>();
    for (String address : List.of(Addresses.JOBS_SUBMIT, Addresses.PACKAGES_EXECUTE, Addresses.AUDIT_RECORD,
        Addresses.JOBS_PROGRESS)) {
      MessageConsumer<Object> hijacker = bus.consumer(address, m -> hijacked.add(m.body()));
      // completion() resolves once the registration is in the cluster's registry, where every node looks.
      hijacker.completion().await(10, TimeUnit.SECONDS);
      hijackers.add(hijacker);
    }
    String id = toggleDemoApp();
    assertThat(finished(id).getString("status")).isEqualTo("completed");
    assertThat(jobCount()).isEqualTo(before + 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> fleetManagerEvents.stream().anyMatch(e ->
        "job_complete".equals(e.getString("type")) && id.equals(e.getJsonObject("job").getString("job_id"))));
    assertThat(hijacked).isEmpty();
    // Unregistered, so that the other tests meet an empty registry on the command addresses.
    for (MessageConsumer<Object> hijacker : hijackers) {
      hijacker.unregister().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(5)
  @DisplayName("a node of a foreign CA joins Hazelcast but receives no event, reaches no address, and fails the TLS handshake")
  void foreignNodeIsShutOut() throws Exception {
    int membersBefore = members();
    ClusterNode foreign = cluster.foreignNode();
    try {
      List<Object> received = new CopyOnWriteArrayList<>();
      var bus = foreign.vertx().eventBus();
      for (String address : List.of(Addresses.JOB_EVENTS, Addresses.AUDIT_EVENTS)) {
        bus.consumer(address, m -> received.add(m.body())).completion().await(10, TimeUnit.SECONDS);
      }
      // Hazelcast OSS has no member TLS: the membership is open, which is why it carries nothing that matters.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> members() == membersBefore + 1);
      int before = jobCount();
      assertThatThrownBy(() -> bus.request(Addresses.JOBS_SUBMIT, new JsonObject().put("operation", "install"),
          new DeliveryOptions().setSendTimeout(3000)).await(10, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
      bus.publish(Addresses.JOBS_SUBMIT, new JsonObject().put("operation", "install"));

      String id = toggleDemoApp();
      assertThat(finished(id).getString("status")).isEqualTo("completed");
      List<EventsSubscriber.Line> valid = eventsOf(id);
      assertThat(valid.get(valid.size() - 1).event().getString("type")).isEqualTo("job_complete");
      Thread.sleep(3000);
      assertThat(received).as("events delivered to the foreign node").isEmpty();
      assertThat(jobCount()).isEqualTo(before + 1);

      // The same at the socket: the agent's event-bus port refuses a foreign certificate, accepts one of its CA.
      int port = agentEventBusPort();
      SSLContext foreignContext = TlsClient.context(TestPki.rogueClient(), setup.pki.ca.certificate());
      assertThatThrownBy(() -> handshakeAndRead(foreignContext, port)).isInstanceOf(java.io.IOException.class);
      SSLContext validContext = TlsClient.context(setup.pki.ca.issue(LeafSpec.server("probe")), setup.pki.ca.certificate());
      assertThat(handshake(validContext, port)).isEqualTo("TLSv1.3");
    } finally {
      foreign.leave().await(20, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> members() == membersBefore);
    }
  }

  /**
   * Whether these agent log lines show a delivery attempt to another node that the agent's TLS client refused
   * because the node's certificate does not chain to the agent's CA.
   */
  private static boolean refusedDelivery(List<String> logLines) {
    int attempt = -1;
    for (int i = 0; i < logLines.size(); i++) {
      String line = logLines.get(i);
      if (line.contains("ClusteredEventBus - Connecting to server") && line.contains("failed")) {
        attempt = i;
      } else if (attempt >= 0 && line.contains("PKIX path validation failed")) {
        return true;
      }
    }
    return false;
  }

  private static String handshake(SSLContext context, int port) throws Exception {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      return socket.getSession().getProtocol();
    }
  }

  /** Under TLS 1.3 a refused client certificate shows on the client's first read. */
  private static void handshakeAndRead(SSLContext context, int port) throws Exception {
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.startHandshake();
      InputStream in = socket.getInputStream();
      in.read();
    }
  }

  @Test
  @Order(6)
  @DisplayName("an attacker node whose event-bus server trusts anyone and asks for no certificate still receives no event")
  void attackerNodeGetsNothing() throws Exception {
    int membersBefore = members();
    int logBefore = agent.logLines().size();
    io.vertx.core.Vertx attacker = cluster.attackerNode();
    try {
      List<Object> received = new CopyOnWriteArrayList<>();
      for (String address : List.of(Addresses.JOB_EVENTS, Addresses.AUDIT_EVENTS)) {
        attacker.eventBus().consumer(address, m -> received.add(m.body())).completion().await(10, TimeUnit.SECONDS);
      }
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> members() == membersBefore + 1);
      // Audited requests (each publishes an audit event) until the agent's relay has tried to deliver one to the
      // attacker and refused its certificate: the attempt and the refusal are in the agent's log.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        agent.send("GET", "/api/v1/jobs", null);
        return refusedDelivery(agent.logLines().subList(logBefore, agent.logLines().size())) || !received.isEmpty();
      });
      String id = toggleDemoApp();
      assertThat(finished(id).getString("status")).isEqualTo("completed");
      List<EventsSubscriber.Line> valid = eventsOf(id);
      assertThat(valid.get(valid.size() - 1).event().getString("type")).isEqualTo("job_complete");
      Thread.sleep(3000);
      assertThat(received).as("events handed to a server the agent cannot verify").isEmpty();
    } finally {
      attacker.close().await(20, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> members() == membersBefore);
    }
  }

  @Test
  @Order(7)
  @DisplayName("kill -9 of the events subscriber while a job runs: the job completes and other subscribers still get its events")
  void subscriberKilledDuringJob() throws Exception {
    assumeTrue(LockHolder.available(), "python3 is needed to hold dpkg's lock like another program");
    String id;
    try (LockHolder holder = LockHolder.hold(sandbox.root())) {
      id = toggleDemoApp();
      await().atMost(Duration.ofSeconds(10)).until(() -> "running".equals(
          agent.send("GET", "/api/v1/jobs/" + id, null).getJsonObject("data").getString("status")));
      subscriber.kill9();
      Thread.sleep(1000);
    }
    JsonObject job = finished(id);
    assertThat(job.getString("status")).isEqualTo("completed");
    await().atMost(Duration.ofSeconds(20)).until(() -> fleetManagerEvents.stream().anyMatch(e ->
        "job_complete".equals(e.getString("type")) && id.equals(e.getJsonObject("job").getString("job_id"))));
    // And the next job after the subscriber's death runs as normal.
    String next = toggleDemoApp();
    assertThat(finished(next).getString("status")).isEqualTo("completed");
    assertThat(agent.send("GET", "/health", null).getInteger("_status")).isEqualTo(200);
  }
}

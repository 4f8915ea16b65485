package io.linuxpatch.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.LocalCodec;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.linuxpatch.contract.auth.AccessPolicy;
import io.linuxpatch.contract.auth.ClientIdentity;
import io.linuxpatch.contract.auth.Role;
import io.linuxpatch.contract.config.AgentConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@DisplayName("AuthVerticle publishes the allow-list as access policies and follows the file")
class AuthVerticleAllowListTest {

  /** SEC-4: a valid change applies within 2 s. */
  private static final Duration APPLIES_WITHIN = Duration.ofSeconds(2);

  @TempDir
  Path dir;

  private Vertx vertx;
  private Path whitelist;
  private final List<AccessPolicy> published = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    whitelist = dir.resolve("whitelist.yaml");
    vertx.eventBus().<AccessPolicy>localConsumer(Addresses.AUTH_POLICY, m -> published.add(m.body()));
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private JsonObject config(Path allowList) {
    // TLS files that do not exist: this test is about the allow-list, certificate errors are only logged.
    return new JsonObject()
        .put("whitelist", new JsonObject().put("path", allowList.toString()))
        .put("tls", new JsonObject().put("ca_cert", dir.resolve("none-ca.pem").toString())
            .put("server_cert", dir.resolve("none.pem").toString())
            .put("server_key", dir.resolve("none.key").toString()));
  }

  private void deploy() {
    vertx.deployVerticle(new AuthVerticle(), new DeploymentOptions().setConfig(config(whitelist))).await();
  }

  private AccessPolicy current() {
    return vertx.eventBus().<AccessPolicy>request(Addresses.AUTH_POLICY_CURRENT, null).await().body();
  }

  private AccessPolicy last() {
    return published.get(published.size() - 1);
  }

  /** The role {@code policy} gives a client certificate (clientAuth only) with this CN. */
  private static Role roleOf(AccessPolicy policy, String commonName) {
    return policy.grantOf(new ClientIdentity(commonName, "1", "0".repeat(64), false)).role();
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private void write(String text) throws IOException {
    // Truncate-then-write, like a plain editor: the watcher may see the half-written state.
    Files.writeString(whitelist, text);
  }

  @Test
  @DisplayName("a valid file at start-up is published as generation 1 and answered on request")
  void publishesAtStart() throws IOException {
    write("entries:\n  - 10.0.0.1\n  - 192.168.0.0/16\n");
    deploy();

    assertThat(published).hasSize(1);
    AccessPolicy policy = current();
    assertThat(policy.generation()).isEqualTo(1);
    assertThat(policy.allows(ip("10.0.0.1"))).isTrue();
    assertThat(policy.allows(ip("192.168.4.5"))).isTrue();
    assertThat(policy.allows(ip("10.0.0.2"))).isFalse();
    assertThat(roleOf(policy, "anyone")).as("no authorization section: everyone may read, nothing more")
        .isEqualTo(Role.READ);
  }

  @Test
  @DisplayName("without an authorization section the start logs one WARN line: mutations are disabled until clients are granted them")
  void startSaysMutationsAreDisabled() throws IOException {
    Logger logger = (Logger) LoggerFactory.getLogger(AccessPolicyPublisher.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      write("entries: [10.0.0.1]\n");
      deploy();
      List<ILoggingEvent> disabled = lines.list.stream()
          .filter(e -> e.getFormattedMessage().contains("mutations are disabled")).toList();
      assertThat(disabled).hasSize(1);
      assertThat(disabled.get(0).getLevel()).isEqualTo(Level.WARN);
      assertThat(disabled.get(0).getFormattedMessage()).contains("authorization.clients").contains("may only read");

      // A config that grants roles says nothing of the kind.
      LocalCodec.register(vertx.eventBus(), AgentConfig.class);
      JsonObject granted = config(whitelist).put("authorization",
          new JsonObject().put("clients", new JsonObject().put("ops-*", "operate")));
      vertx.eventBus().publish(Addresses.CONFIG_CHANGED, AgentConfig.parse(granted).config());
      await().atMost(APPLIES_WITHIN).until(() -> roleOf(current(), "ops-1") == Role.OPERATE);
      assertThat(lines.list.stream().filter(e -> e.getFormattedMessage().contains("mutations are disabled")))
          .hasSize(1);
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  @DisplayName("an edit of the watched file publishes a new policy within 2 s")
  void editApplies() throws IOException {
    write("entries: [10.0.0.1]\n");
    deploy();

    write("entries: [10.0.0.2]\n");
    await().atMost(APPLIES_WITHIN).pollInterval(Duration.ofMillis(50))
        .until(() -> last().allows(ip("10.0.0.2")));
    assertThat(last().allows(ip("10.0.0.1"))).isFalse();
    assertThat(last().generation()).isGreaterThan(1);
    assertThat(current()).isSameAs(last());
  }

  @Test
  @DisplayName("garbage, an empty file, {} or a deleted file keep the last good list")
  void invalidKeepsLastGood() throws IOException {
    write("entries: [10.0.0.1]\n");
    deploy();
    AccessPolicy good = current();

    for (String broken : List.of("entries: [10.0.0.1\n", "", "{}\n", "entries:\n", "entries: [10.0.0.0/33]\n")) {
      write(broken);
      await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3))
          .until(() -> current() == good && published.size() == 1);
    }
    Files.delete(whitelist);
    await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3))
        .until(() -> current() == good && published.size() == 1);

    write("entries: [10.0.0.3]\n");
    await().atMost(APPLIES_WITHIN).until(() -> current().allows(ip("10.0.0.3")));
  }

  @Test
  @DisplayName("a missing file at start-up denies everyone until a valid file appears")
  void missingAtStartDeniesAll() throws IOException {
    deploy();
    assertThat(current().allowList().ranges()).isEmpty();
    assertThat(current().allows(ip("127.0.0.1"))).isFalse();

    write("entries: [127.0.0.1]\n");
    await().atMost(APPLIES_WITHIN).until(() -> current().allows(ip("127.0.0.1")));
  }

  @Test
  @DisplayName("an empty file at start-up denies everyone; entries: [] is a valid deny-all list")
  void emptyAtStartDeniesAll() throws IOException {
    write("");
    deploy();
    assertThat(current().allowList().ranges()).isEmpty();

    write("entries: [10.0.0.1]\n");
    await().atMost(APPLIES_WITHIN).until(() -> current().allows(ip("10.0.0.1")));
    write("entries: []\n");
    await().atMost(APPLIES_WITHIN).until(() -> !current().allows(ip("10.0.0.1")));
  }

  @Test
  @DisplayName("a config change with new authorization rules or a new whitelist.path publishes a new policy")
  void configChanged() throws IOException {
    write("entries: [10.0.0.1]\n");
    deploy();
    LocalCodec.register(vertx.eventBus(), AgentConfig.class);

    JsonObject withRules = config(whitelist).put("authorization",
        new JsonObject().put("clients", new JsonObject().put("ops-*", "operate")));
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, AgentConfig.parse(withRules).config());
    await().atMost(APPLIES_WITHIN).until(() -> roleOf(current(), "ops-1") == Role.OPERATE);
    assertThat(roleOf(current(), "dev-1")).isNull();
    assertThat(current().allows(ip("10.0.0.1"))).as("the allow-list stays").isTrue();

    Path other = dir.resolve("other.yaml");
    Files.writeString(other, "entries: [10.9.9.9]\n");
    JsonObject moved = config(other).put("authorization", withRules.getJsonObject("authorization"));
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, AgentConfig.parse(moved).config());
    await().atMost(APPLIES_WITHIN).until(() -> current().allows(ip("10.9.9.9")));
    assertThat(current().allows(ip("10.0.0.1"))).isFalse();

    // The old file is no longer watched; the new one is.
    long generation = current().generation();
    write("entries: [10.0.0.7]\n");
    Files.writeString(other, "entries: [10.8.8.8]\n");
    await().atMost(APPLIES_WITHIN).until(() -> current().allows(ip("10.8.8.8")));
    await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(2))
        .until(() -> !current().allows(ip("10.0.0.7")));
    assertThat(current().generation()).isEqualTo(generation + 1);
  }
}

package io.linuxpatch.tests;

import io.linuxpatch.agent.Agent;
import io.linuxpatch.agent.config.ConfigFile;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real agent started in-process on a free port, with a config and an allow-list written to a temporary
 * directory and certificates from {@link TestPki}. Files are rewritten atomically, as an operator's
 * configuration management would, so tests see exactly one version or the other.
 */
final class AgentUnderTest implements AutoCloseable {

  final Path dir;
  final TestPki pki;
  final int port;
  final Path configFile;
  final Path whitelistFile;
  private String packageManagerYaml = "  backend: none\n";
  /** Rate limits are off for tests that fire requests back to back; RateLimitTest turns them on. */
  String rateLimitYaml = "  enabled: false\n";
  /** More keys of the {@code logging} section (two-space indented lines), e.g. {@code logging.seal}. */
  String loggingYaml = "";
  private io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox sandbox;
  private Agent agent;

  /**
   * The authorization section of a test that changes things: the test client ({@link TestPki#client}) is
   * admin. Without a section the agent lets clients read and nothing more (SEC-6), so a test that installs,
   * rolls back or reboots says so in its own configuration.
   */
  static final String TEST_CLIENT_ADMIN = """
      authorization:
        clients:
          "test-client": admin
      """;

  AgentUnderTest(Path dir) throws IOException {
    this.dir = dir;
    this.pki = new TestPki(dir.resolve("certs"));
    this.port = freePort();
    this.configFile = dir.resolve("config.yaml");
    this.whitelistFile = dir.resolve("whitelist.yaml");
    writeWhitelist(List.of("127.0.0.1", "::1"));
    writeConfig("");
  }

  /** The base configuration plus {@code extraYaml} (top-level sections). */
  void writeConfig(String extraYaml) throws IOException {
    write(configFile, """
        server:
          bind: 127.0.0.1
          port: %d
          instances: 2
          request_timeout_seconds: 2
        tls:
          ca_cert: %s
          server_cert: %s
          server_key: %s
          crl_path: %s
        whitelist:
          path: %s
        data_dir: %s
        logging:
          audit_path: %s
        %s
        package_manager:
        %s
        rate_limit:
        %s
        system:
          reboot_command: ["/usr/bin/touch", "%s"]
          reboot_required_file: %s
        """.formatted(port, pki.caPem(), pki.dir.resolve("server.pem"), pki.dir.resolve("server.key.pem"),
        pki.crlPem(), whitelistFile, dir.resolve("data"), dir.resolve("log/audit.jsonl"), loggingYaml, packageManagerYaml,
        rateLimitYaml, dir.resolve("data/reboot-requested"), dir.resolve("data/reboot-required")) + extraYaml);
  }

  /** Skips the calling test, saying why, where the demo sandbox cannot be built (no apt-get or dpkg-deb). */
  static void assumeSandboxTools() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/apt-get")) && Files.isExecutable(Path.of("/usr/bin/dpkg-deb")),
        "apt-get and dpkg-deb are needed for the sandbox (Debian/Ubuntu)");
  }

  /**
   * Points the agent at a fresh demo sandbox (real dpkg/apt, never the host's database, PKG-5) and
   * rewrites the config with {@code extraYaml}.
   */
  io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox useDemoSandbox(String extraYaml) throws IOException {
    sandbox = io.linuxpatch.packages.backend.apt.sandbox.DemoSandbox.create(dir);
    packageManagerYaml = io.linuxpatch.agent.dev.DevFiles.packageManagerSection(sandbox);
    writeConfig(extraYaml);
    return sandbox;
  }

  /** Points the agent at any backend's sandbox (package_manager and, with a feed, patches) with {@code extraYaml}. */
  void useSandbox(io.linuxpatch.packages.sandbox.SandboxConfig sandbox, String extraYaml) throws IOException {
    packageManagerYaml = io.linuxpatch.agent.dev.DevFiles.packageManagerSection(sandbox);
    String feed = sandbox.advisoryFeed() == null ? "" : "patches:\n  advisory_feed: \"" + sandbox.advisoryFeed() + "\"\n";
    writeConfig(feed + extraYaml);
  }

  /** Points the agent at an apt sandbox root made by the test (e.g. a real-scale one) with {@code extraYaml}. */
  void useSandbox(io.linuxpatch.packages.backend.apt.sandbox.SandboxRoot root, String extraYaml) throws IOException {
    packageManagerYaml = io.linuxpatch.agent.dev.DevFiles.packageManagerSection(root);
    writeConfig(extraYaml);
  }

  void writeWhitelist(List<String> entries) throws IOException {
    StringBuilder text = new StringBuilder("entries:\n");
    entries.forEach(e -> text.append("  - \"").append(e).append("\"\n"));
    write(whitelistFile, text.toString());
  }

  static void write(Path file, String text) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, text);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  AgentUnderTest start() throws Exception {
    ConfigFile file = ConfigFile.read(configFile);
    if (!file.valid()) {
      throw new IllegalStateException("test config invalid: " + file.problems());
    }
    agent = Agent.start(configFile, file.document(), file.config()).await(30, TimeUnit.SECONDS);
    return this;
  }

  Agent agent() {
    return agent;
  }

  javax.net.ssl.SSLContext clientContext() throws Exception {
    return TlsClient.context(pki.client, pki.ca.certificate());
  }

  TlsClient connect() throws Exception {
    return TlsClient.connect(clientContext(), "127.0.0.1", port);
  }

  /** A connection that presents {@code identity}, a certificate of this test's CA or of another. */
  TlsClient connectAs(io.linuxpatch.pki.IssuedCertificate identity) throws Exception {
    return TlsClient.connect(TlsClient.context(identity, pki.ca.certificate()), "127.0.0.1", port);
  }

  /** Every record of the audit log so far (read records are flushed within a second: poll for them). */
  List<io.vertx.core.json.JsonObject> auditRecords() throws IOException {
    Path log = dir.resolve("log/audit.jsonl");
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).map(io.vertx.core.json.JsonObject::new).toList();
  }

  /**
   * The highest {@code generation} among the audit records of {@code event} on disk so far, 0 without one: auth
   * records each access policy it publishes ({@code allowlist_reload}) and each TLS material
   * ({@code certificates_reload}), so a new generation here says the change is in force.
   */
  long generation(String event) throws IOException {
    return auditRecords().stream().filter(r -> event.equals(r.getString("event")))
        .mapToLong(r -> r.getLong("generation", 0L)).max().orElse(0);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (agent != null) {
      agent.stop();
    }
  }
}

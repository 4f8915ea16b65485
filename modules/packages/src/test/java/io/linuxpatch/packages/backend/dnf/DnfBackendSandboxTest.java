package io.linuxpatch.packages.backend.dnf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.linuxpatch.contract.ErrorCode;
import io.linuxpatch.contract.config.PackageManagerConfig;
import io.linuxpatch.contract.jobs.JobError;
import io.linuxpatch.packages.BackendRefusal;
import io.linuxpatch.packages.backend.Transaction;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfRepository;
import io.linuxpatch.packages.backend.dnf.sandbox.DnfSandbox;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmBuilder;
import io.linuxpatch.packages.backend.dnf.sandbox.RpmSpec;
import io.linuxpatch.packages.job.JobLog;
import io.linuxpatch.packages.plan.Plan;
import io.linuxpatch.packages.plan.PlanAction;
import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dnf backend on real dnf where the contract suite cannot reach: a rollback whose old version only dnf's
 * package cache still has. Packages of a {@code file://} repository are read in place and never cached, so this
 * sandbox gets a second repository served over HTTP (a JDK server on 127.0.0.1), whose downloads dnf keeps
 * ({@code keepcache=True}); then the old version is withdrawn from it.
 */
@ExtendWith(HostRpmStateGuard.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DnfBackendSandboxTest {

  private static final ProcessRunner RUNNER = ProcessRunner.create();

  @TempDir
  static Path dir;
  static DnfSandbox sandbox;
  static HttpServer server;
  static DnfRepository http;
  static DnfBackend backend;

  @BeforeAll
  static void sandboxWithAnHttpRepository() throws Exception {
    DnfTools.assumeDnfSandboxTools();
    sandbox = DnfSandbox.create(dir, RUNNER);
    Path served = Files.createDirectories(dir.resolve("http-repo"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      Path file = served.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      if (!file.startsWith(served) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      byte[] body = Files.readAllBytes(file);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    http = new DnfRepository(served, dir.resolve("http-build"), RUNNER);
    RpmBuilder builder = new RpmBuilder(dir.resolve("http-build"), sandbox.home(), RUNNER);
    for (String version : List.of("1.0", "2.0")) {
      http.add(builder.build(RpmSpec.of("demo-http", version, "1", "served over HTTP"), dir.resolve("http-build/rpms")));
    }
    http.publish(List.of());
    Files.writeString(sandbox.reposDirectory().resolve("http.repo"), "[http]\nname=served over HTTP\nbaseurl=http://127.0.0.1:"
        + server.getAddress().getPort() + "/\ngpgcheck=0\nrepo_gpgcheck=0\nmetadata_expire=0\n");
    run(sandbox.dnf("makecache"));
    run(sandbox.dnf("-y", "install", "--", "demo-http-0:1.0-1.noarch"));
    run(sandbox.dnf("-y", "upgrade", "--", "demo-http"));
    backend = new DnfBackend(new PackageManagerConfig("dnf", sandbox.root().toString(), sandbox.environment(),
        sandbox.dnfOptions()), RUNNER);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static ProcessResult run(ProcessSpec spec) {
    ProcessResult result = RUNNER.run(spec);
    assertThat(result.exitCode()).as(spec.argv() + ": " + result.stderr().text()).isZero();
    return result;
  }

  private static JsonArray upgradedFromOne() {
    return new JsonArray().add(new JsonObject().put("name", "demo-http").put("action", "upgrade")
        .put("from_version", "1.0-1").put("to_version", "2.0-1"));
  }

  /** Takes demo-http 1.0-1 out of the HTTP repository (once) and refreshes dnf's cache. */
  private static void withdrawOldVersion() throws IOException {
    if (Files.deleteIfExists(dir.resolve("http-repo/demo-http-1.0-1.noarch.rpm"))) {
      http.publish(List.of());
      run(sandbox.dnf("makecache"));
    }
  }

  private static Path cached() throws IOException {
    try (Stream<Path> files = Files.walk(sandbox.root().resolve("var/cache/dnf"))) {
      return files.filter(f -> f.getFileName().toString().equals("demo-http-1.0-1.noarch.rpm")).findFirst()
          .orElseThrow(() -> new AssertionError("dnf did not keep demo-http-1.0-1.noarch.rpm"));
    }
  }

  @Test
  @Order(1)
  @DisplayName("while the repository offers the old version, the rollback names its exact NEVRA")
  void offeredVersion() throws Exception {
    assertThat(backend.rollback(upgradedFromOne()).steps())
        .containsExactly(List.of("--allowerasing", "install", "--", "demo-http-0:1.0-1.noarch"));
  }

  @Test
  @Order(2)
  @DisplayName("once withdrawn, the cached .rpm is installed by absolute path: simulated as a downgrade, then done")
  void cachedVersion() throws Exception {
    Path cachedRpm = cached();
    withdrawOldVersion();
    assertThat(backend.inventory().catalogue().rowsOf("demo-http", "1.0-1")).isEmpty();

    Transaction inverse = backend.rollback(upgradedFromOne());
    assertThat(inverse.steps()).containsExactly(List.of("--allowerasing", "install", "--", cachedRpm.toString()));
    Plan plan = backend.simulate(inverse);
    assertThat(plan.actions()).extracting(PlanAction::kind, PlanAction::name, PlanAction::fromVersion,
        PlanAction::toVersion).containsExactly(org.assertj.core.groups.Tuple.tuple(PlanAction.Kind.DOWNGRADE,
            "demo-http", "2.0-1", "1.0-1"));

    var before = backend.snapshot();
    for (List<String> step : backend.run(inverse, 5)) {
      JobLog log = new JobLog();
      var output = backend.output(log, progress -> { });
      ProcessResult result = RUNNER.run(ProcessSpec.of(step).withExtraEnv(backend.environment()).withListener(output));
      assertThat(backend.classify(result, output)).as(String.join("\n", log.lines())).isNull();
    }
    assertThat(backend.snapshot().changesSince(before).encode())
        .isEqualTo(new JsonArray().add(new JsonObject().put("name", "demo-http").put("action", "downgrade")
            .put("from_version", "2.0-1").put("to_version", "1.0-1")).encode());
  }

  @Test
  @Order(3)
  @DisplayName("with the cached file gone as well, the rollback is PKG_VERSION_NOT_FOUND before anything runs")
  void gone() throws Exception {
    withdrawOldVersion();
    run(sandbox.dnf("-y", "upgrade", "--", "demo-http"));
    try (Stream<Path> files = Files.walk(sandbox.root().resolve("var/cache/dnf"))) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("demo-http-1.0-1")).toList()) {
        Files.delete(file);
      }
    }
    assertThatThrownBy(() -> backend.rollback(upgradedFromOne())).isInstanceOfSatisfying(BackendRefusal.class, e -> {
      assertThat(e.code()).isEqualTo(ErrorCode.PKG_VERSION_NOT_FOUND);
      assertThat(e.details().getJsonArray("packages")).containsExactly("demo-http 1.0-1");
    });
  }

  @Test
  @Order(4)
  @DisplayName("a %post that fails is MAINTAINER_SCRIPT_FAILED although dnf exits 0 and installs the package")
  void failingPost() throws Exception {
    sandbox.addPackages(RpmSpec.of("demo-postfail", "1.0", "1", "fails its %post")
        .withScriptlet(RpmSpec.Scriptlet.POST, "exit 1\n"));
    Transaction install = backend.transaction(new JsonObject().put("operation", "install")
        .put("packages", new JsonArray().add(new JsonObject().put("name", "demo-postfail"))));
    List<String> argv = backend.run(install, 5).get(0);
    JobLog log = new JobLog();
    var output = backend.output(log, progress -> { });
    ProcessResult result = RUNNER.run(ProcessSpec.of(argv).withExtraEnv(backend.environment()).withListener(output));
    assertThat(result.exitCode()).isZero();
    assertThat(backend.classify(result, output)).isEqualTo(JobError.MAINTAINER_SCRIPT_FAILED);
    assertThat(backend.inventory().isInstalled("demo-postfail")).isTrue();
  }
}

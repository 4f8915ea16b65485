package io.linuxpatch.packages.backend.apt.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.jobs.JobOutcome;
import io.linuxpatch.packages.PackageVerticle;
import io.linuxpatch.packages.backend.apt.sandbox.DebPackage;
import io.linuxpatch.packages.backend.apt.sandbox.LocalRepository;
import io.linuxpatch.packages.backend.apt.sandbox.RepositorySuite;
import io.linuxpatch.packages.backend.apt.sandbox.SandboxRoot;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real sandbox root with a {@code copy:} repository (so downloads land in the apt cache, as rollback needs)
 * and PackageVerticle deployed on it as a worker, for the job tests. Progress messages are collected.
 */
final class JobSandbox implements AutoCloseable {

  static final ProcessRunner RUNNER = ProcessRunner.create();

  final Path dir;
  final SandboxRoot root;
  final LocalRepository repository;
  final Vertx vertx = Vertx.vertx();
  final List<JsonObject> progress = new CopyOnWriteArrayList<>();
  final List<JsonObject> plans = new CopyOnWriteArrayList<>();

  JobSandbox(Path dir, List<DebPackage> packages, List<Path> debs) throws Exception {
    this.dir = dir;
    root = SandboxRoot.at(dir.resolve("root"), RUNNER).create();
    repository = repository(dir.resolve("repo"), packages, debs);
    root.useRepository(repository).aptUpdate();
    // Progress messages, and apart from them the plan each run announces as it starts.
    vertx.eventBus().<JsonObject>consumer(Addresses.JOBS_PROGRESS,
        m -> (m.body().containsKey("plan") ? plans : progress).add(m.body()));
    JsonObject config = new JsonObject().put("package_manager", new JsonObject()
        .put("backend", "apt")
        .put("root", root.root().toString())
        .put("env", new JsonObject(new HashMap<>(root.aptEnvironment())))
        .put("options", new JsonArray(root.dpkgOptions())));
    vertx.deployVerticle(new PackageVerticle(RUNNER, Duration.ofSeconds(2)),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(config)).await(30, TimeUnit.SECONDS);
  }

  static LocalRepository repository(Path dir, List<DebPackage> packages, List<Path> debs) {
    LocalRepository repo = LocalRepository.create(dir, "Demo", "Demo",
        List.of(new RepositorySuite("stable", "demo", "1.0")), RUNNER);
    packages.forEach(p -> repo.add("stable", p));
    debs.forEach(d -> repo.add("stable", d));
    repo.writeIndices();
    return repo;
  }

  /** Points the sandbox at a new repository holding only {@code packages}, and refreshes apt's lists. */
  void replaceRepository(String name, List<DebPackage> packages) {
    root.useRepository(repository(dir.resolve(name), packages, List.of())).aptUpdate();
  }

  /** The reply as JSON; listings arrive pre-encoded ({@code EncodedJson}) and are decoded here. */
  JsonObject request(String address, JsonObject body) throws Exception {
    Object reply = vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(120_000))
        .await(130, TimeUnit.SECONDS).body();
    return reply instanceof io.linuxpatch.contract.EncodedJson encoded ? encoded.decode() : (JsonObject) reply;
  }

  io.vertx.core.Future<JsonObject> executeAsync(String jobId, String operation, JsonObject params, JsonObject extra) {
    JsonObject body = new JsonObject().put("job_id", jobId).put("operation", operation).put("params", params)
        .put("timeout_seconds", 120).put("lock_wait_seconds", 30).mergeIn(extra);
    return vertx.eventBus().request(Addresses.PACKAGES_EXECUTE, body,
        new DeliveryOptions().setSendTimeout(120_000)).map(m -> ((JobOutcome) m.body()).toJson());
  }

  JsonObject execute(String operation, JsonObject params) throws Exception {
    return executeAsync("job-" + System.nanoTime(), operation, params, new JsonObject()).await(130, TimeUnit.SECONDS);
  }

  /**
   * A package with a conffile, which DebPackage cannot express, built with dpkg-deb directly: removing it
   * leaves dpkg's {@code config-files} state, so "remove" and "purge" differ.
   */
  static Path debWithConffile(Path dir, String name, String version) throws Exception {
    Path tree = Files.createDirectories(dir.resolve(name + "-tree"));
    Files.createDirectories(tree.resolve("DEBIAN"));
    Files.createDirectories(tree.resolve("etc"));
    Files.writeString(tree.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
        + "\nArchitecture: all\nMaintainer: Test <test@example.invalid>\nDescription: " + name + "\n");
    Files.writeString(tree.resolve("DEBIAN/conffiles"), "/etc/" + name + ".conf\n");
    Files.writeString(tree.resolve("etc/" + name + ".conf"), "setting = 1\n");
    Path deb = dir.resolve(name + "_" + version + "_all.deb");
    var result = RUNNER.run(ProcessSpec.of("/usr/bin/dpkg-deb", "--root-owner-group", "-Zgzip", "--build",
        tree.toString(), deb.toString()));
    assertThat(result.exitCode()).as(result.stderr().text()).isZero();
    return deb;
  }

  static JsonObject packages(String... refs) {
    JsonArray array = new JsonArray();
    for (String ref : refs) {
      int eq = ref.indexOf('=');
      array.add(eq < 0 ? new JsonObject().put("name", ref)
          : new JsonObject().put("name", ref.substring(0, eq)).put("version", ref.substring(eq + 1)));
    }
    return new JsonObject().put("packages", array);
  }

  /** {@code name → "state version"} from dpkg-query itself, not from the code under test. */
  String dpkgQuery(String name) {
    var result = RUNNER.run(ProcessSpec.of("/usr/bin/dpkg-query", "--admindir=" + root.root().resolve("var/lib/dpkg"),
        "-W", "-f=${db:Status-Status} ${Version}", "--", name));
    return result.exitCode() == 0 ? result.stdout().text().strip() : "unknown";
  }

  static JsonObject change(JsonArray changes, String name) {
    for (int i = 0; i < changes.size(); i++) {
      if (changes.getJsonObject(i).getString("name").equals(name)) {
        return changes.getJsonObject(i);
      }
    }
    throw new AssertionError(name + " not in " + changes.encodePrettily());
  }

  static void assertChange(JsonArray changes, String name, String action, String from, String to) {
    JsonObject c = change(changes, name);
    assertThat(c.getString("action")).as(c.encode()).isEqualTo(action);
    assertThat(c.getString("from_version")).as(c.encode()).isEqualTo(from);
    assertThat(c.getString("to_version")).as(c.encode()).isEqualTo(to);
  }

  static boolean alive(long pid) {
    Path stat = Path.of("/proc/" + pid + "/stat");
    try {
      // A zombie (state Z) has ended; only its parent has not reaped it yet.
      return Files.exists(stat) && !Files.readString(stat).replaceFirst("^.*\\) ", "").startsWith("Z");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}

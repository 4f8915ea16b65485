package io.linuxpatch.packages.backend.pacman;

import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.jobs.JobOutcome;
import io.linuxpatch.contract.EncodedJson;
import io.linuxpatch.packages.CountingProcessRunner;
import io.linuxpatch.packages.PackageVerticle;
import io.linuxpatch.packages.backend.pacman.sandbox.PacmanSandbox;
import io.linuxpatch.process.ProcessRunner;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PackageVerticle deployed as a worker on a pacman demo sandbox (the developer-mode catalogue, built with real
 * pacman), with a process runner that counts and records every child it starts, and the progress messages of its
 * jobs collected. For the backend's sandbox tests.
 */
public final class PacmanAgent implements AutoCloseable {

  public static final ProcessRunner RUNNER = ProcessRunner.create();

  public final PacmanSandbox sandbox;
  public final Path dataDir;
  public final Vertx vertx = Vertx.vertx();
  private final CountingProcessRunner counting = new CountingProcessRunner();
  public final AtomicInteger started = counting.started;
  public final List<List<String>> argvs = counting.argvs;
  public final List<JsonObject> progress = new CopyOnWriteArrayList<>();

  private PacmanAgent(PacmanSandbox sandbox, Path dataDir, String advisoryFeed) throws Exception {
    this.sandbox = sandbox;
    this.dataDir = dataDir;
    vertx.eventBus().<JsonObject>consumer(Addresses.JOBS_PROGRESS, m -> {
      if (!m.body().containsKey("plan")) {
        progress.add(m.body());
      }
    });
    JsonObject config = new JsonObject()
        .put("data_dir", dataDir.toString())
        .put("package_manager", new JsonObject()
            .put("backend", "pacman")
            .put("root", sandbox.root().toString())
            .put("env", new JsonObject())
            .put("options", new JsonArray(sandbox.pacmanOptions())));
    if (advisoryFeed != null) {
      config.put("patches", new JsonObject().put("advisory_feed", advisoryFeed));
    }
    vertx.deployVerticle(new PackageVerticle(counting, Duration.ofSeconds(2)),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setConfig(config)).await(30, TimeUnit.SECONDS);
    // The verticle counts its packages right after start on its own context; a request queued behind that count
    // makes every later reading of the process counter stable.
    request(Addresses.PACKAGES_HOLDS, new JsonObject());
  }

  /** The demo sandbox in {@code dir/sandbox} with its tracker feed, the agent's data in {@code dir/data}. */
  public static PacmanAgent demo(Path dir) throws Exception {
    PacmanSandbox sandbox = PacmanSandbox.createDemo(dir.resolve("sandbox"), RUNNER);
    return new PacmanAgent(sandbox, dir.resolve("data"), sandbox.trackerFeed().toString());
  }

  /** The demo sandbox without an advisory feed. */
  public static PacmanAgent demoWithoutFeed(Path dir) throws Exception {
    return new PacmanAgent(PacmanSandbox.createDemo(dir.resolve("sandbox"), RUNNER), dir.resolve("data"), null);
  }

  /** The reply as JSON (listings arrive pre-encoded and are decoded here). */
  public JsonObject request(String address, JsonObject body) throws Exception {
    Object reply = vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(120_000))
        .await(130, TimeUnit.SECONDS).body();
    return reply instanceof EncodedJson encoded ? encoded.decode() : (JsonObject) reply;
  }

  /** The refusal a request is answered with; an AssertionError when it is accepted. */
  public ReplyException refusal(String address, JsonObject body) {
    try {
      vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(120_000)).await(130, TimeUnit.SECONDS);
    } catch (ReplyException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("accepted: " + body.encode());
  }

  public Future<JsonObject> executeAsync(String jobId, String operation, JsonObject params, long lockWaitSeconds) {
    JsonObject body = new JsonObject().put("job_id", jobId).put("operation", operation).put("params", params)
        .put("timeout_seconds", 120).put("lock_wait_seconds", lockWaitSeconds);
    return vertx.eventBus().<JobOutcome>request(Addresses.PACKAGES_EXECUTE, body,
        new DeliveryOptions().setSendTimeout(180_000)).map(m -> m.body().toJson());
  }

  /** Runs one job to its end: the engine's outcome ({@code outcome, exit_code, error_code, changes, logs, plan}). */
  public JsonObject execute(String operation, JsonObject params) throws Exception {
    return executeAsync("job-" + System.nanoTime(), operation, params, 30).await(180, TimeUnit.SECONDS);
  }

  public static JsonObject packages(String... names) {
    JsonArray array = new JsonArray();
    for (String name : names) {
      array.add(new JsonObject().put("name", name));
    }
    return new JsonObject().put("packages", array);
  }

  /** {@code pacman -Q NAME}'s version, or null when pacman says it is not installed. */
  public String installedVersion(String name) {
    var result = sandbox.pacman("-Q", "--", name);
    return result.exitCode() == 0 ? result.stdout().text().strip().split(" ")[1] : null;
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}

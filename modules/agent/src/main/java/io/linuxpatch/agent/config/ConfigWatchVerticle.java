package io.linuxpatch.agent.config;

import io.linuxpatch.agent.LogLevels;
import io.linuxpatch.contract.Addresses;
import io.linuxpatch.contract.LocalCodec;
import io.linuxpatch.contract.config.AgentConfig;
import io.linuxpatch.contract.config.ConfigProblem;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.contract.health.HealthStatus;
import io.linuxpatch.filewatch.FileWatch;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file and applies valid changes without restart (CFG-2): the kernel says when the file
 * may have changed ({@link FileWatch}: nothing runs while it does not), vertx-config reads it.
 *
 * <p>The file is read in the {@code raw} format and parsed here, because the yaml format logs an ERROR
 * with a stack trace on every scan of a broken file; here a broken or invalid file is rejected as a
 * whole, once per distinct content: the last good config stays, the "config" health check says why,
 * and keys that need a restart are named in the log.
 */
public final class ConfigWatchVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatchVerticle.class);

  private final Path file;
  private AgentConfig current;
  private String lastRejectedText;
  private HealthCheck check;
  private ConfigRetriever retriever;
  private FileWatch files;

  public ConfigWatchVerticle(Path file, AgentConfig initial) {
    this.file = file;
    this.current = initial;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx.eventBus(), AgentConfig.class);
    LocalCodec.register(vertx.eventBus(), HealthCheck.class);
    check = HealthCheck.healthy("config", "loaded from " + file, new JsonObject().put("path", file.toString()));
    vertx.eventBus().localConsumer(Addresses.HEALTH_RESYNC, m -> publishCheck());
    publishCheck();
    ConfigStoreOptions store = new ConfigStoreOptions()
        .setType("file")
        .setFormat("raw")
        .setOptional(true)
        .setConfig(new JsonObject().put("path", file.toString()).put("raw.key", "text").put("raw.type", "string"));
    // No scan: the kernel says when the file may have changed (FileWatch), vertx-config reads it then.
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setScanPeriod(0)
        .setIncludeDefaultStores(false)
        .addStore(store));
    files = FileWatch.acquire(vertx);
    files.watch(List.of(file), () -> retriever.getConfig().onSuccess(read -> onText(read.getString("text"))));
    // The first read is compared too: the file may have changed since the agent read it at start-up.
    return retriever.getConfig().onSuccess(first -> onText(first.getString("text")));
  }

  private void onText(String text) {
    if (text == null) {
      reject(null, List.of(new ConfigProblem(file.toString(), "disappeared or cannot be read")));
      return;
    }
    ConfigFile read = ConfigFile.fromText(file, text);
    if (!read.valid()) {
      reject(text, read.problems());
      return;
    }
    lastRejectedText = null;
    AgentConfig next = read.config();
    if (next.equals(current)) {
      // The first scan, a rewrite with the same meaning, or a rejected edit undone: nothing to apply, but
      // the check must say what the file on disk is now, not what it was at the rejection.
      if (check.status() != HealthStatus.HEALTHY) {
        LOG.info("configuration {} is valid again and means the configuration in use; nothing to apply", file);
        check = HealthCheck.healthy("config", "the file on disk is valid again and is the configuration in use",
            new JsonObject().put("path", file.toString()));
        publishCheck();
      }
      return;
    }
    List<String> restart = current.restartNeededChanges(next);
    if (!restart.isEmpty()) {
      LOG.warn("configuration {} changed {}: these settings apply only after a restart of the agent; "
          + "the running agent keeps the old values", file, String.join(", ", restart));
    }
    current = next;
    LogLevels.apply(next.logging().level());
    LOG.info("configuration {} reloaded", file);
    check = HealthCheck.healthy("config", "reloaded from " + file,
        new JsonObject().put("path", file.toString()).put("restart_needed_for", new JsonArray(restart)));
    publishCheck();
    vertx.eventBus().send(Addresses.AUDIT_RECORD, new JsonObject().put("event", "config_reload")
        .put("path", file.toString()).put("restart_needed_for", new JsonArray(restart)));
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, next);
  }

  private void reject(String text, List<ConfigProblem> problems) {
    if (text != null && text.equals(lastRejectedText)) {
      return;
    }
    lastRejectedText = text;
    List<String> lines = problems.stream().map(ConfigProblem::toString).toList();
    LOG.error("configuration {} rejected, the last good configuration stays in use: {}", file,
        String.join("; ", lines));
    vertx.eventBus().send(Addresses.AUDIT_RECORD, new JsonObject().put("event", "config_rejected")
        .put("path", file.toString()).put("problems", new JsonArray(lines)));
    check = HealthCheck.degraded("config", "the file on disk was rejected; the last good configuration is in use",
        new JsonObject().put("path", file.toString()).put("problems", new JsonArray(lines)));
    publishCheck();
  }

  private void publishCheck() {
    vertx.eventBus().publish(Addresses.HEALTH_CHECK, check);
  }

  @Override
  public Future<?> stop() {
    if (files != null) {
      files.release();
    }
    if (retriever != null) {
      retriever.close();
    }
    return Future.succeededFuture();
  }
}

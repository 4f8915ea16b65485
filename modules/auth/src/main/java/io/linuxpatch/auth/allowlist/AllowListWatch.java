package io.linuxpatch.auth.allowlist;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Watches one allow-list file with vertx-config and hands over its text whenever it changes.
 *
 * <p>The store uses the {@code raw} format, not {@code yaml}: vertx-config's YAML format logs an ERROR
 * with a stack trace on every scan of a broken file, and would turn a truncated file into {@code {}}
 * before {@link AllowListFile} could tell it apart from an explicit empty list. The store is optional, so
 * a missing or unreadable file is reported once as {@link FileText#missing()} instead of an error on
 * every scan. The retriever only reports content that differs from the previous scan, so an unchanged
 * broken file is handled (and warned about) once.
 */
public final class AllowListWatch {

  /** How often the file is polled: a valid change applies within 2 s (SEC-4). */
  public static final long SCAN_PERIOD_MS = 500;

  private static final String KEY = "text";

  /**
   * One version of the file as seen by a scan.
   *
   * @param path the watched file
   * @param text its content, or null when it does not exist or cannot be read
   */
  public record FileText(String path, String text) {
    public boolean missing() {
      return text == null;
    }
  }

  private final String path;
  private final ConfigRetriever retriever;

  private AllowListWatch(String path, ConfigRetriever retriever) {
    this.path = path;
    this.retriever = retriever;
  }

  /**
   * Starts watching {@code path} on the caller's context (a verticle's event loop). The future holds the
   * watch and the file as it is now; {@code changes} gets every later, different version on the same context.
   */
  public static Future<Started> open(Vertx vertx, String path, Handler<FileText> changes) {
    ConfigStoreOptions store = new ConfigStoreOptions()
        .setType("file")
        .setFormat("raw")
        .setOptional(true)
        .setConfig(new JsonObject().put("path", path).put("raw.key", KEY).put("raw.type", "string"));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(SCAN_PERIOD_MS)
        .addStore(store));
    AllowListWatch watch = new AllowListWatch(path, retriever);
    return retriever.getConfig()
        .map(json -> {
          retriever.listen(change -> changes.handle(watch.text(change.getNewConfiguration())));
          return new Started(watch, watch.text(json));
        })
        .onFailure(e -> retriever.close());
  }

  /** A running watch and the file's content when it started. */
  public record Started(AllowListWatch watch, FileText first) {}

  public String path() {
    return path;
  }

  /** Stops polling the file. */
  public Future<Void> close() {
    return retriever.close();
  }

  private FileText text(JsonObject json) {
    // An optional store that cannot read the file yields {}; an empty file yields {"text": ""}.
    return new FileText(path, json == null ? null : json.getString(KEY));
  }
}

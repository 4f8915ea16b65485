package io.linuxpatch.auth.allowlist;

import io.linuxpatch.filewatch.FileWatch;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * Watches one allow-list file and hands over its text whenever it changes: the kernel says when the file may have
 * changed ({@link FileWatch}, within the 2 s of SEC-4 and with nothing running meanwhile), vertx-config reads it.
 *
 * <p>The store uses the {@code raw} format, not {@code yaml}: vertx-config's YAML format logs an ERROR
 * with a stack trace on every scan of a broken file, and would turn a truncated file into {@code {}}
 * before {@link AllowListFile} could tell it apart from an explicit empty list. The store is optional, so
 * a missing or unreadable file is reported once as {@link FileText#missing()} instead of an error on
 * every read. Only content that differs from the previous read is handed over, so an unchanged broken file is
 * handled (and warned about) once.
 */
public final class AllowListWatch {

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
  private final FileWatch files;
  private FileWatch.Registration registration;
  /** The text last handed over (or read first), so that only a different one is. */
  private FileText last;

  private AllowListWatch(String path, ConfigRetriever retriever, FileWatch files) {
    this.path = path;
    this.retriever = retriever;
    this.files = files;
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
    // No scan: the file watch says when to read.
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .setScanPeriod(0)
        .addStore(store));
    FileWatch files = FileWatch.acquire(vertx);
    AllowListWatch watch = new AllowListWatch(path, retriever, files);
    // Watched before the first read, so that a change between the two is not missed.
    watch.registration = files.watch(List.of(Path.of(path)), () -> retriever.getConfig().onSuccess(json -> {
      FileText text = watch.text(json);
      if (!text.equals(watch.last)) {
        watch.last = text;
        changes.handle(text);
      }
    }));
    return retriever.getConfig()
        .map(json -> {
          watch.last = watch.text(json);
          return new Started(watch, watch.last);
        })
        .onFailure(e -> watch.close());
  }

  /** A running watch and the file's content when it started. */
  public record Started(AllowListWatch watch, FileText first) {}

  public String path() {
    return path;
  }

  /** Stops watching the file. */
  public Future<Void> close() {
    if (registration != null) {
      registration.cancel();
      registration = null;
      files.release();
    }
    return retriever.close();
  }

  private FileText text(JsonObject json) {
    // An optional store that cannot read the file yields {}; an empty file yields {"text": ""}.
    return new FileText(path, json == null ? null : json.getString(KEY));
  }
}

package io.linuxpatch.filewatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileWatch} on real files and the kernel's inotify: what the config, allow-list and TLS reloads rely on. */
@Tag("CFG-2")
@Tag("SEC-4")
class FileWatchTest {

  @TempDir
  Path dir;
  Vertx vertx;
  Context context;
  FileWatch watch;
  /** What each reread saw in the watched file ("-" when it was missing). */
  final List<String> reads = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    watch = FileWatch.acquire(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    watch.release();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private FileWatch.Registration watchOn(Path file) throws Exception {
    return watchOn(file, () -> {
      reads.add(read(file));
      return Future.succeededFuture();
    });
  }

  private FileWatch.Registration watchOn(Path file, Supplier<Future<?>> reread) throws Exception {
    CompletableFuture<FileWatch.Registration> registered = new CompletableFuture<>();
    context.runOnContext(v -> registered.complete(watch.watch(List.of(file), reread)));
    return registered.get(5, TimeUnit.SECONDS);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "-";
    } catch (Exception e) {
      return "-";
    }
  }

  private static void replace(Path file, String text) throws Exception {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(temp, text);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  @DisplayName("a write in place, a write-and-rename and a removal are each seen, and the read sees the new content")
  void writesSeen() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "one");
    watchOn(file);
    Files.writeString(file, "two");
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("two"));
    replace(file, "three");
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("three"));
    Files.delete(file);
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("-"));
  }

  @Test
  @DisplayName("another file of the same directory changes nothing: only the watched file's change reads")
  void otherFilesIgnored() throws Exception {
    Path file = dir.resolve("whitelist.yaml");
    Files.writeString(file, "a");
    watchOn(file);
    Files.writeString(dir.resolve("unrelated"), "x");
    Files.writeString(file, "b");
    // Events arrive in order: had the unrelated file's made a read, that read would have seen "a". (A write in
    // place is a truncation and a write: a read between the two sees "".)
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("b"));
    assertThat(reads).doesNotContain("a").containsAnyOf("b");
  }

  @Test
  @DisplayName("a file that is a symbolic link: a change of its target in another directory is seen, and a new target")
  void symbolicLinkTargetSeen() throws Exception {
    Path live = Files.createDirectories(dir.resolve("live"));
    Path target = live.resolve("cert-1.pem");
    Files.writeString(target, "first");
    Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("certs")).resolve("server.pem"), target);
    watchOn(link);
    Files.writeString(target, "renewed");
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("renewed"));
    Path second = Files.createDirectories(dir.resolve("live2")).resolve("cert-2.pem");
    Files.writeString(second, "second");
    Path newLink = link.resolveSibling(".server.pem.new");
    Files.createSymbolicLink(newLink, second);
    Files.move(newLink, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("second"));
    Files.writeString(second, "second renewed");
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("second renewed"));
  }

  @Test
  @DisplayName("a file two directories below what exists yet is read once they and the file appear (no polling)")
  void absentDirectoryAppears() throws Exception {
    Path file = dir.resolve("later").resolve("deeper").resolve("config.yaml");
    watchOn(file);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "arrived");
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("arrived"));
    Files.writeString(file, "edited");
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("edited"));
  }

  @Test
  @DisplayName("a burst of writes during a slow read: never two reads at once, and the last read sees the last write")
  void burstCoalesced() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "0");
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    watchOn(file, () -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      Promise<Void> slow = Promise.promise();
      vertx.setTimer(200, t -> {
        reads.add(read(file));
        running.decrementAndGet();
        slow.complete();
      });
      return slow.future();
    });
    for (int i = 1; i <= 50; i++) {
      Files.writeString(file, Integer.toString(i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> reads.contains("50") && running.get() == 0);
    assertThat(most.get()).isEqualTo(1);
    assertThat(reads.size()).as("reads for 50 writes: %s", reads).isLessThan(10);
    assertThat(reads.get(reads.size() - 1)).isEqualTo("50");
  }

  @Test
  @DisplayName("a cancelled registration reads nothing more; the last owner's release ends the watch thread")
  void cancelAndRelease() throws Exception {
    Path file = dir.resolve("a.yaml");
    Files.writeString(file, "1");
    FileWatch.Registration registration = watchOn(file);
    Files.writeString(file, "2");
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("2"));
    registration.cancel();
    Path marker = dir.resolve("b.yaml");
    List<String> markerReads = new CopyOnWriteArrayList<>();
    watchOn(marker, () -> {
      markerReads.add(read(marker));
      return Future.succeededFuture();
    });
    Files.writeString(file, "3");
    Files.writeString(marker, "after");
    await().atMost(Duration.ofSeconds(5)).until(() -> markerReads.contains("after"));
    assertThat(reads).doesNotContain("3");

    FileWatch second = FileWatch.acquire(vertx);
    assertThat(second).isSameAs(watch);
    second.release();
    assertThat(watch.thread.isAlive()).isTrue();
    watch.release();
    Thread ended = watch.thread;
    await().atMost(Duration.ofSeconds(5)).until(() -> !ended.isAlive());
    watch = FileWatch.acquire(vertx);
    assertThat(watch.thread).isNotSameAs(ended);
  }

  @Test
  @DisplayName("without inotify (the host's instances used up) the files are polled: a write and a rename are seen")
  void pollingWithoutInotify() throws Exception {
    watch.release();
    watch = new FileWatch(vertx, false);
    assertThat(watch.thread).isNull();
    Path file = dir.resolve("whitelist.yaml");
    Files.writeString(file, "one");
    watchOn(file);
    Files.writeString(file, "two, longer");
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("two, longer"));
    replace(file, "three");
    await().atMost(Duration.ofSeconds(5)).until(() -> reads.contains("three"));
  }
}

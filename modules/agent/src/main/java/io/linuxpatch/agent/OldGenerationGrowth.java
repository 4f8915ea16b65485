package io.linuxpatch.agent;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Serial collector's old generation from growing with garbage on Java 23 and later (issue 16).
 *
 * <p>Java 17's Serial collector runs a full collection when a young collection's survivors no longer fit in the old
 * generation; since Java 23 (JDK-8331557, JDK-8333786) it grows the old generation instead, up to {@code -Xmx}, and
 * collects it only when the heap is full. Objects that die after promotion (a connection's TLS state, a listing
 * being written when a young collection came) then stay resident: on Java 25 the RSS after the benchmark's load was
 * 236 MB against Java 17's 165, with the same 27 MB live. This listener, told of every collection by the JVM (no
 * polling), asks for one full collection when a young collection has grown the old generation, as Java 17 would have
 * collected it, at most one per {@link #MIN_INTERVAL_NANOS}; a full collection of the agent's heap takes 40–70 ms.
 * Under the load benchmark's heaviest step (HTTP/2 listings on 100 connections) Java 17 runs a full collection every
 * 0.3–0.5 s by itself; this asks for as many on 25 (12 against 17's 20 over the benchmark's sequence), and Java 25's
 * RSS after that sequence is 166 MB instead of 228 (Java 17: 164). A longer interval (10 s) let that one step grow
 * the old generation from 37 to 113 MB between two requests.
 * On Java 17 and 21 a young collection never grows the old generation, so it never asks. With another collector
 * (named differently) it does nothing.
 */
final class OldGenerationGrowth {

  private static final Logger LOG = LoggerFactory.getLogger(OldGenerationGrowth.class);

  /** Serial's names for its young and full collectors and its old generation's memory pool. */
  static final String YOUNG_COLLECTOR = "Copy";
  static final String FULL_COLLECTOR = "MarkSweepCompact";
  static final String OLD_POOL = "Tenured Gen";
  /** At most one requested full collection per 250 ms, whatever the load: Java 17's own pace under load. */
  static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private final LongSupplier clock;
  private final Runnable fullCollection;
  private final long minIntervalNanos;
  private final AtomicLong lastRequest;
  private final AtomicLong fullCollectionsSeen = new AtomicLong();

  OldGenerationGrowth(LongSupplier clock, Runnable fullCollection, long minIntervalNanos) {
    this.clock = clock;
    this.fullCollection = fullCollection;
    this.minIntervalNanos = minIntervalNanos;
    this.lastRequest = new AtomicLong(clock.getAsLong() - minIntervalNanos);
  }

  /** Listens to Serial's young collector, when the JVM runs Serial; otherwise nothing. Once per JVM. */
  static void install() {
    install(MIN_INTERVAL_NANOS);
  }

  /** The same with another least interval between requested collections (a test's). */
  static void install(long minIntervalNanos) {
    if (!INSTALLED.compareAndSet(false, true)) {
      return;
    }
    GarbageCollectorMXBean full = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .filter(collector -> collector.getName().equals(FULL_COLLECTOR)).findFirst().orElse(null);
    if (full == null) {
      return;
    }
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector.getName().equals(YOUNG_COLLECTOR) && collector instanceof NotificationEmitter emitter) {
        OldGenerationGrowth growth = new OldGenerationGrowth(System::nanoTime, OldGenerationGrowth::collectFully,
            minIntervalNanos);
        emitter.addNotificationListener((notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            growth.collected(info.getGcName(), info.getGcInfo().getMemoryUsageBeforeGc(),
                info.getGcInfo().getMemoryUsageAfterGc(), full.getCollectionCount());
          }
        }, null, null);
        return;
      }
    }
  }

  /**
   * One collection's pools before and after, and how many full collections the JVM has run so far: requests a full
   * collection when a young collection grew the old generation, no full collection ran since the last young one
   * (Java 17's Serial grows the old generation only in the full collection that follows a young one when survivors
   * do not fit, and that one has just collected it), and none was requested in the least interval (250 ms in the
   * agent). Returns whether it did.
   */
  boolean collected(String collector, Map<String, MemoryUsage> before, Map<String, MemoryUsage> after,
      long fullCollections) {
    if (!YOUNG_COLLECTOR.equals(collector)) {
      return false;
    }
    boolean collectedFully = fullCollectionsSeen.getAndSet(fullCollections) != fullCollections;
    MemoryUsage oldBefore = before.get(OLD_POOL);
    MemoryUsage oldAfter = after.get(OLD_POOL);
    if (collectedFully || oldBefore == null || oldAfter == null
        || oldAfter.getCommitted() <= oldBefore.getCommitted()) {
      return false;
    }
    long now = clock.getAsLong();
    long last = lastRequest.get();
    if (now - last < minIntervalNanos || !lastRequest.compareAndSet(last, now)) {
      return false;
    }
    LOG.debug("a young collection grew the old generation from {} to {} KiB; collecting it",
        oldBefore.getCommitted() / 1024, oldAfter.getCommitted() / 1024);
    fullCollection.run();
    return true;
  }

  // Not on the JVM's notification thread, which tells every listener of every collection.
  private static void collectFully() {
    Thread collector = new Thread(System::gc, "lpa-old-generation-collect");
    collector.setDaemon(true);
    collector.start();
  }
}

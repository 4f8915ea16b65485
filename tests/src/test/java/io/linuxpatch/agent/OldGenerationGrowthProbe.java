package io.linuxpatch.agent;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Run in a child JVM with Serial by {@code OldGenerationGrowthTest}: makes promoted garbage (objects that outlive a
 * few young collections, then die) with or without {@link OldGenerationGrowth} installed, and prints the old
 * generation's largest committed size and how many full collections it asked for ({@code System.gc()}).
 */
public final class OldGenerationGrowthProbe {

  private OldGenerationGrowthProbe() {}

  public static void main(String[] args) throws Exception {
    AtomicInteger requested = new AtomicInteger();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        if (info.getGcCause().equals("System.gc()")) {
          requested.incrementAndGet();
        }
      }, null, null);
    }
    if (args.length > 0 && args[0].equals("guarded")) {
      // at most one requested collection per 50 ms instead of 10 s: the probe compresses minutes of a server's
      // promotions into a second or two
      OldGenerationGrowth.install(TimeUnit.MILLISECONDS.toNanos(50));
    }
    MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getName().equals(OldGenerationGrowth.OLD_POOL)).findFirst().orElseThrow();
    long largest = 0;
    // 3,000 arrays of 4 KiB alive at a time (12 MiB, more than the young generation holds): each outlives several
    // young collections, is promoted and dies there. 40 rounds of it, 480 MiB allocated in all.
    ArrayDeque<byte[]> window = new ArrayDeque<>();
    for (int i = 0; i < 120_000; i++) {
      window.addLast(new byte[4096]);
      if (window.size() > 3_000) {
        window.removeFirst();
      }
      if (i % 1_000 == 0) {
        largest = Math.max(largest, old.getUsage().getCommitted());
        Thread.sleep(5); // lets the notification thread and the requested collection keep up, as a server's pauses do
      }
    }
    largest = Math.max(largest, old.getUsage().getCommitted());
    System.out.println("old-generation-largest-committed-mb=" + largest / (1024 * 1024));
    System.out.println("full-collections-requested=" + requested.get());
  }
}

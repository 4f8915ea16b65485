package io.linuxpatch.packages;

import io.linuxpatch.packages.backend.PackageBackend;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MET-1's package gauges: installed packages and available updates (all, and security). The gauges read
 * numbers computed by {@link #refresh} on PackageVerticle's worker, never the package database itself:
 * a scrape runs on an event loop, where parsing the database would block it.
 */
final class PackageMeters {

  private final AtomicLong installed = new AtomicLong();
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong securityUpdates = new AtomicLong();

  /** Registers the gauges when metrics are on; a no-op registry-less object otherwise. */
  PackageMeters() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      Gauge.builder("lpa_packages_installed", installed, AtomicLong::get)
          .description("Packages installed").register(registry);
      Gauge.builder("lpa_updates_available", updates, AtomicLong::get).tag("kind", "all")
          .description("Available patches (GET /api/v1/patches)").register(registry);
      Gauge.builder("lpa_updates_available", securityUpdates, AtomicLong::get).tag("kind", "security")
          .description("Available patches (GET /api/v1/patches)").register(registry);
    }
  }

  /** Blocking: reads the inventory and the patch list (both cached until the files change). */
  void refresh(PackageBackend backend) throws IOException {
    installed.set(backend.installedCount());
    List<JsonObject> all = backend.patches();
    updates.set(all.size());
    securityUpdates.set(all.stream().filter(p -> p.getBoolean("security", false)).count());
  }
}

package io.linuxpatch.packages;

import io.linuxpatch.packages.backend.apt.AptBackend;
import io.linuxpatch.packages.backend.apt.AptPatches;
import io.linuxpatch.packages.backend.apt.inventory.DpkgState;
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
 * a scrape runs on an event loop, where parsing dpkg's status file would block it.
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
          .description("Packages installed (dpkg ii/hi)").register(registry);
      Gauge.builder("lpa_updates_available", updates, AtomicLong::get).tag("kind", "all")
          .description("Available patches (GET /api/v1/patches)").register(registry);
      Gauge.builder("lpa_updates_available", securityUpdates, AtomicLong::get).tag("kind", "security")
          .description("Available patches (GET /api/v1/patches)").register(registry);
    }
  }

  /** Blocking: reads the inventory and the patch list (both cached until the files change). */
  void refresh(AptBackend apt, AptPatches patches) throws IOException {
    installed.set(apt.inventory().packages().stream()
        .filter(p -> p.state().current() == DpkgState.Current.INSTALLED).count());
    List<JsonObject> all = patches.all();
    updates.set(all.size());
    securityUpdates.set(all.stream().filter(p -> p.getBoolean("security", false)).count());
  }
}

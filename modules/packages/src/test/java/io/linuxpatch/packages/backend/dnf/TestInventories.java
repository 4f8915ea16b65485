package io.linuxpatch.packages.backend.dnf;

import io.linuxpatch.packages.backend.dnf.inventory.AvailableCatalogue;
import io.linuxpatch.packages.backend.dnf.inventory.AvailableRpm;
import io.linuxpatch.packages.backend.dnf.inventory.DnfInventory;
import io.linuxpatch.packages.backend.dnf.inventory.InstalledRpm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Hand-made dnf inventories for the backend's pure logic: no rpm, no dnf, no process. */
final class TestInventories {

  private final List<InstalledRpm> installed = new ArrayList<>();
  private final AvailableCatalogue.Builder catalogue = AvailableCatalogue.builder();

  /** The demo catalogue as the sandbox starts: demo-base, demo-tool 1.0-1, demo-ssl 1.0-1, demo-legacy installed. */
  static DnfInventory demo() {
    return new TestInventories()
        .installed("demo-base", "1.0-1").installed("demo-tool", "1.0-1").installed("demo-ssl", "1.0-1")
        .installed("demo-legacy", "0.9-1")
        .offered("demo-base", "1.0-1").offered("demo-tool", "1.0-1").offered("demo-tool", "1.1-1")
        .offered("demo-ssl", "1.0-1").offered("demo-ssl", "1.1-1").offered("demo-lib", "2.0-1")
        .offered("demo-app", "2.0-1").offered("demo-legacy", "0.9-1").offered("demo-modern", "1.0-1")
        .build();
  }

  TestInventories installed(String name, String evr) {
    return installed(name, evr, "noarch");
  }

  TestInventories installed(String name, String evr, String arch) {
    String[] vr = split(evr);
    installed.add(new InstalledRpm(name, null, vr[0], vr[1], arch, 100, name + " summary", Instant.EPOCH, null, null));
    return this;
  }

  TestInventories offered(String name, String evr) {
    return offered(name, evr, "noarch");
  }

  TestInventories offered(String name, String evr, String arch) {
    String[] vr = split(evr);
    catalogue.accept(new AvailableRpm(name, 0, vr[0], vr[1], arch, "demo", 100, 6000, null, null, name + " summary"));
    return this;
  }

  DnfInventory build() {
    return new DnfInventory(installed, catalogue.build(), List.of());
  }

  private static String[] split(String evr) {
    int dash = evr.lastIndexOf('-');
    return new String[] {evr.substring(0, dash), evr.substring(dash + 1)};
  }
}

package io.linuxpatch.contract.config;

/** {@code patches} section (PKG-3): optional advisory feed, a path or URL. */
public record PatchesConfig(String advisoryFeed) {

  static PatchesConfig read(ConfigReader r) {
    PatchesConfig c = new PatchesConfig(r.nonEmptyString("advisory_feed", null));
    r.rejectUnknownKeys();
    return c;
  }
}

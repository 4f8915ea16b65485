package io.linuxpatch.contract.config;

/** {@code metrics} section (MET-1). */
public record MetricsConfig(boolean enabled) {

  static MetricsConfig read(ConfigReader r) {
    MetricsConfig c = new MetricsConfig(r.bool("enabled", true));
    r.rejectUnknownKeys();
    return c;
  }
}

package io.linuxpatch.contract.config;

/** {@code rate_limit} section (SEC-8): per client identity, reads and mutations separately. */
public record RateLimitConfig(boolean enabled, int readsPerMinute, int readsBurst, int mutationsPerMinute,
    int mutationsBurst) {

  static RateLimitConfig read(ConfigReader r) {
    RateLimitConfig c = new RateLimitConfig(
        r.bool("enabled", true),
        r.integer("reads_per_minute", 120, 1, 1_000_000),
        r.integer("reads_burst", 30, 1, 1_000_000),
        r.integer("mutations_per_minute", 20, 1, 1_000_000),
        r.integer("mutations_burst", 10, 1, 1_000_000));
    r.rejectUnknownKeys();
    return c;
  }
}

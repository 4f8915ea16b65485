package io.linuxpatch.contract.config;

/**
 * {@code logging.seal} (AUD-5): sealed checkpoints in the audit log, made with a forward-secure key kept in
 * {@code data_dir/audit-seal/}. A checkpoint is written at start (when there is something to seal), every
 * {@code interval_seconds} even when idle, after {@code max_records} records and at stop.
 *
 * @param enabled         whether checkpoints are written (default true)
 * @param intervalSeconds the longest time between two checkpoints (default 900, as journald's sealing)
 * @param maxRecords      the most records between two checkpoints (default 1000)
 */
public record SealConfig(boolean enabled, int intervalSeconds, int maxRecords) {

  public static final SealConfig DEFAULTS = new SealConfig(true, 900, 1000);

  static SealConfig read(ConfigReader r) {
    SealConfig c = new SealConfig(
        r.bool("enabled", DEFAULTS.enabled()),
        r.integer("interval_seconds", DEFAULTS.intervalSeconds(), 1, 86_400),
        r.integer("max_records", DEFAULTS.maxRecords(), 1, 1_000_000));
    r.rejectUnknownKeys();
    return c;
  }
}

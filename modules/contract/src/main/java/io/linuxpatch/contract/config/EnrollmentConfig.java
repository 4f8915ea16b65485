package io.linuxpatch.contract.config;

/** {@code enrollment} section (ENR): fleet manager that issues certificates, and when to renew. */
public record EnrollmentConfig(String managerUrl, int pollingIntervalSeconds, int maxPollAttempts,
    int certRenewalThresholdDays) {

  static EnrollmentConfig read(ConfigReader r) {
    String url = r.nonEmptyString("manager_url", null);
    if (url != null && !url.startsWith("https://")) {
      r.problem("manager_url", "must be an https:// URL, got \"" + url + "\"");
    }
    EnrollmentConfig c = new EnrollmentConfig(url,
        r.integer("polling_interval_seconds", 30, 1, 86_400),
        r.integer("max_poll_attempts", 120, 1, 1_000_000),
        r.integer("cert_renewal_threshold_days", 7, 0, 365));
    r.rejectUnknownKeys();
    return c;
  }
}

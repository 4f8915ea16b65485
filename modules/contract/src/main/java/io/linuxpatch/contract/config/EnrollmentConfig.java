package io.linuxpatch.contract.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * {@code enrollment} section (ENR): the fleet manager that issues certificates, the CA its TLS certificate is
 * checked against, how its answer is polled, and when to renew.
 *
 * @param managerUrl                base URL of the manager, or null when enrollment is not configured
 * @param managerCa                 PEM file of the CA the manager's TLS certificate must chain to, or null for the
 *                                  JVM's default trust store
 * @param pollingIntervalSeconds    time between two status polls
 * @param maxPollAttempts           status polls (and registration attempts) of one enrollment before it gives up
 * @param certRenewalThresholdDays  a certificate expiring within this many days is renewed (CFG-4)
 */
public record EnrollmentConfig(String managerUrl, String managerCa, int pollingIntervalSeconds, int maxPollAttempts,
    int certRenewalThresholdDays) {

  static EnrollmentConfig read(ConfigReader r) {
    String url = r.nonEmptyString("manager_url", null);
    if (url != null) {
      String problem = managerUrlProblem(url);
      if (problem != null) {
        r.problem("manager_url", problem);
        url = null;
      }
    }
    EnrollmentConfig c = new EnrollmentConfig(url,
        r.path("manager_ca", null),
        r.integer("polling_interval_seconds", 30, 1, 86_400),
        r.integer("max_poll_attempts", 120, 1, 1_000_000),
        r.integer("cert_renewal_threshold_days", 7, 0, 365));
    r.rejectUnknownKeys();
    return c;
  }

  /**
   * Why {@code url} cannot be a manager URL, or null when it can: {@code https://HOST[:PORT][/PATH]}, or plain
   * {@code http://} only on the loopback literals 127.0.0.1 and [::1] (the polling token and the certificates
   * must never cross a network in clear; "localhost" is refused too, since a resolver decides where it points).
   * The same rule serves the config key and {@code --enroll URL}.
   */
  public static String managerUrlProblem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "is not a URL (" + e.getReason() + "), got \"" + url + "\"";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return "must be an https:// URL, got \"" + url + "\"";
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return "must name the manager's host, got \"" + url + "\"";
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return "must be a plain base URL without user, query or fragment, got \"" + url + "\"";
    }
    if (scheme.equals("http") && !isLoopbackLiteral(uri.getHost())) {
      return "must be an https:// URL (plain http:// only for 127.0.0.1 or [::1]), got \"" + url + "\"";
    }
    return null;
  }

  private static boolean isLoopbackLiteral(String host) {
    return host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
  }

  /** Whether a fleet manager is configured, so that the agent enrolls and renews by itself. */
  public boolean configured() {
    return managerUrl != null;
  }
}

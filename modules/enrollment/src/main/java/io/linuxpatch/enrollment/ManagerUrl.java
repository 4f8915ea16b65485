package io.linuxpatch.enrollment;

import io.linuxpatch.contract.config.EnrollmentConfig;
import java.net.URI;
import java.util.Locale;

/**
 * The fleet manager's base URL, checked by the one rule of {@link EnrollmentConfig#managerUrlProblem}: https://,
 * or plain http:// on 127.0.0.1 or [::1] only.
 *
 * @param base the URL as configured, without a trailing slash
 */
public record ManagerUrl(URI base) {

  /**
   * Parses {@code url}.
   *
   * @throws IllegalArgumentException with the operator's sentence when the URL is not allowed
   */
  public static ManagerUrl parse(String url) {
    String problem = EnrollmentConfig.managerUrlProblem(url);
    if (problem != null) {
      throw new IllegalArgumentException("the manager URL " + problem);
    }
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return new ManagerUrl(URI.create(trimmed));
  }

  /** True for https://: the manager's certificate is verified and its name checked. */
  public boolean tls() {
    return "https".equals(base.getScheme().toLowerCase(Locale.ROOT));
  }

  /** The host as a resolver takes it (an IPv6 literal without brackets). */
  public String host() {
    String host = base.getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  public int port() {
    return base.getPort() > 0 ? base.getPort() : tls() ? 443 : 80;
  }

  /** The request path of {@code suffix} (e.g. {@code /api/v1/enroll}) under the base URL's own path. */
  public String path(String suffix) {
    String prefix = base.getRawPath() == null ? "" : base.getRawPath();
    if (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix + suffix;
  }

  @Override
  public String toString() {
    return base.toString();
  }
}

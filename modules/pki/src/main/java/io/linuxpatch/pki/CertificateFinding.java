package io.linuxpatch.pki;

import java.util.Objects;

/**
 * One result of the start-up certificate checks (CFG-4): how bad it is, which config key it concerns
 * and what the operator should do about it.
 *
 * @param severity ERROR stops the agent (or fails {@code --check-config}); WARNING is reported only
 * @param key      the config key, e.g. {@code tls.server_cert}
 * @param message  what is wrong and what to do, without the key (see {@link #text()})
 */
public record CertificateFinding(Severity severity, String key, String message) {

  /** How a finding affects start-up. */
  public enum Severity { ERROR, WARNING }

  public CertificateFinding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
  }

  static CertificateFinding error(String key, String message) {
    return new CertificateFinding(Severity.ERROR, key, message);
  }

  static CertificateFinding warning(String key, String message) {
    return new CertificateFinding(Severity.WARNING, key, message);
  }

  /** {@code "tls.server_cert: <message>"}, for logs and audit records. */
  public String text() {
    return key + ": " + message;
  }

  /** {@code "ERROR tls.server_cert: <message>"}, one line of {@code --check-config} output. */
  public String line() {
    return severity + " " + text();
  }
}

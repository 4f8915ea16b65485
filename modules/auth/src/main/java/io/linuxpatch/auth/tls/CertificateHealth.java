package io.linuxpatch.auth.tls;

import io.linuxpatch.contract.config.TlsConfig;
import io.linuxpatch.contract.enrollment.RenewalStatus;
import io.linuxpatch.contract.health.HealthCheck;
import io.linuxpatch.pki.CertificateFinding;
import io.linuxpatch.pki.CertificateReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Turns the latest certificate report into the "certificates" and "crl" checks of the health endpoint
 * (SPEC endpoint 1). Neither is ever unhealthy: certificate trouble degrades the agent but does not make
 * it refuse work, and an agent without usable certificates cannot answer /health anyway.
 */
public final class CertificateHealth {

  private static final String CRL_KEY = "tls.crl_path";

  private CertificateHealth() {}

  /**
   * The "certificates" check.
   *
   * @param report  the latest check of the files
   * @param serving the generation of the TLS material in use, or 0 when none was ever valid
   * @param renewal where renewal with the fleet manager stands, or null when nobody reported it
   */
  public static HealthCheck certificates(CertificateReport report, long serving, RenewalStatus renewal) {
    JsonObject details = new JsonObject()
        .put("server_days_left", report.serverDaysLeft())
        .put("ca_days_left", report.caDaysLeft())
        .put("serving_generation", serving)
        .put("findings", new JsonArray(report.lines()));
    if (renewal != null) {
      details.put("renewal", renewal.toJson());
    }
    String renewing = renewalSentence(renewal);
    List<CertificateFinding> errors = report.errors();
    if (!errors.isEmpty()) {
      String first = errors.get(0).text();
      return HealthCheck.degraded("certificates", (serving == 0
          ? "no usable certificates, HTTPS cannot start: " + first
          : "a certificate change was rejected, still serving the files loaded before: " + first) + renewing, details);
    }
    if (renewal != null && renewal.state() == RenewalStatus.State.FAILING) {
      return HealthCheck.degraded("certificates", "server certificate valid for " + report.serverDaysLeft()
          + " more days" + renewing, details);
    }
    List<CertificateFinding> warnings = report.warnings().stream().filter(f -> !CRL_KEY.equals(f.key())).toList();
    if (!warnings.isEmpty()) {
      return HealthCheck.degraded("certificates", warnings.get(0).text() + renewing, details);
    }
    return HealthCheck.healthy("certificates", "server certificate valid for " + report.serverDaysLeft()
        + " more days, CA for " + report.caDaysLeft() + renewing, details);
  }

  /** The same without a renewal state (no enrollment verticle, e.g. in tests of this module). */
  public static HealthCheck certificates(CertificateReport report, long serving) {
    return certificates(report, serving, null);
  }

  private static String renewalSentence(RenewalStatus renewal) {
    if (renewal == null) {
      return "";
    }
    return switch (renewal.state()) {
      case OK -> renewal.lastRenewed() == null ? "" : "; renewed " + renewal.lastRenewed().truncatedTo(
          ChronoUnit.SECONDS);
      case RENEWING -> "; renewing with the fleet manager since " + renewal.since().truncatedTo(
          ChronoUnit.SECONDS);
      case FAILING -> "; renewal failing since " + renewal.since().truncatedTo(ChronoUnit.SECONDS)
          + ": " + renewal.error();
      case NOT_CONFIGURED -> "; no renewal: enrollment.manager_url is not set";
    };
  }

  /** The "crl" check: healthy without a CRL or with a current one, degraded when stale or unusable. */
  public static HealthCheck crl(TlsConfig tls, CertificateReport report, Instant now) {
    if (tls.crlPath() == null || tls.crlPath().isBlank()) {
      return HealthCheck.healthy("crl", "no CRL configured (tls.crl_path unset): revoked certificates are "
          + "accepted until they expire", new JsonObject().put("configured", false));
    }
    JsonObject details = new JsonObject().put("configured", true).put("path", tls.crlPath());
    List<String> crlProblems = report.findings().stream().filter(f -> CRL_KEY.equals(f.key()))
        .map(CertificateFinding::text).toList();
    if (report.crl() == null) {
      return HealthCheck.degraded("crl", crlProblems.isEmpty()
          ? "the CRL was not checked because the certificates are unusable"
          : crlProblems.get(0), details.put("findings", new JsonArray(crlProblems)));
    }
    Instant nextUpdate = report.crl().getNextUpdate() == null ? null : report.crl().getNextUpdate().toInstant();
    details.put("next_update", nextUpdate == null ? null : nextUpdate.toString())
        .put("revoked", report.crl().getRevokedCertificates() == null ? 0
            : report.crl().getRevokedCertificates().size())
        .put("findings", new JsonArray(crlProblems));
    if (!crlProblems.isEmpty()) {
      return HealthCheck.degraded("crl", crlProblems.get(0), details);
    }
    if (nextUpdate != null && nextUpdate.isBefore(now)) {
      return HealthCheck.degraded("crl", "the CRL is stale since " + nextUpdate + "; fetch the current one from "
          + "the CA", details);
    }
    return HealthCheck.healthy("crl", nextUpdate == null ? "CRL loaded (no nextUpdate)"
        : "CRL current until " + nextUpdate, details);
  }
}

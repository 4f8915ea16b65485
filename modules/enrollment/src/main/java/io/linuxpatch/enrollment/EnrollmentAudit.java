package io.linuxpatch.enrollment;

import io.linuxpatch.contract.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The audit records of an enrollment (AUD-1): one per step — {@code enrollment_requested},
 * {@code enrollment_pending}, {@code enrollment_approved}, {@code enrollment_denied}, {@code certificates_written},
 * and {@code enrollment_failed} / {@code renewal_failed} — each with the manager and whether it is a first
 * enrollment or a renewal. They never hold the polling token or key material: only serials, names, dates,
 * file paths and reasons that were redacted before they got here. The approval is written durably (fsync) before
 * anything is installed, so a certificate change is never unrecorded.
 */
public final class EnrollmentAudit {

  private final Vertx vertx;
  private final ManagerUrl manager;
  private final String kind;

  public EnrollmentAudit(Vertx vertx, ManagerUrl manager, String kind) {
    this.vertx = vertx;
    this.manager = manager;
    this.kind = kind;
  }

  /** The registration was taken; {@code presented} is the serial of the client certificate shown, or null. */
  void requested(HostIdentity host, String presented, boolean reRegistration) {
    send(record("enrollment_requested").put("host", host.summary()).put("csr", true)
        .put("client_certificate_serial", presented).put("re_registration", reRegistration));
  }

  /** The first "pending" of a token, and a resumed token after a restart. */
  void pending(int poll, boolean resumed, Instant requestedAt) {
    send(record("enrollment_pending").put("poll", poll).put("resumed", resumed)
        .put("requested_at", requestedAt.toString()));
  }

  /** Durable: the manager's approval, checked, before anything is written. */
  Future<Void> approved(MaterialCheck.Checked material) {
    return durable(record("enrollment_approved").put("serial", material.serialHex())
        .put("subject", material.leaf().getSubjectX500Principal().getName())
        .put("issuer", material.leaf().getIssuerX500Principal().getName())
        .put("not_after", material.leaf().getNotAfter().toInstant().toString())
        .put("key_source", material.keySource())
        .put("key_note", "manager".equals(material.keySource())
            ? "the manager generated this key and sent it (original protocol): it has been outside this host"
            : "the key was generated on this host and never sent"));
  }

  void denied(String reason) {
    durable(record("enrollment_denied").put("reason", reason));
  }

  /** Durable: what was written, the backups kept and what became of the allow-list. */
  Future<Void> written(CertificateInstaller.Installed installed, String allowList) {
    return durable(record("certificates_written")
        .put("files", new JsonArray(installed.written().stream().map(Path::toString).toList()))
        .put("backups", new JsonArray(installed.backups().stream().map(Path::toString).toList()))
        .put("allowlist", allowList));
  }

  void failed(String reason, boolean retryable) {
    send(record("renew".equals(kind) ? "renewal_failed" : "enrollment_failed").put("reason", reason)
        .put("retryable", retryable));
  }

  private JsonObject record(String event) {
    return new JsonObject().put("event", event).put("kind", kind).put("manager_url", manager.toString());
  }

  private void send(JsonObject record) {
    vertx.eventBus().send(Addresses.AUDIT_RECORD, record);
  }

  private Future<Void> durable(JsonObject record) {
    return vertx.eventBus().request(Addresses.AUDIT_RECORD, record.put("durable", true)).mapEmpty();
  }
}

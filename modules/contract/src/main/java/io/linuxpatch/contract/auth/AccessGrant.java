package io.linuxpatch.contract.auth;

/**
 * What the access policy gives one client certificate (SEC-6) and on which ground, so that a refusal can
 * tell the caller and the audit log which setting would change it.
 *
 * @param role   the role granted, or null: no API permission at all
 * @param ground why
 */
public record AccessGrant(Role role, Ground ground) {

  /** The grounds of a grant or a refusal. */
  public enum Ground {
    /** No {@code authorization} section: every authenticated client may read, nothing more. */
    DEFAULT_READ,
    /** A certificate usable as a host's server certificate, refused while allow_host_certificates is false. */
    HOST_CERTIFICATE,
    /** A rule naming this very certificate by fingerprint or serial. */
    CERTIFICATE_RULE,
    /** A rule whose CN glob matches the certificate's CN. */
    NAME_RULE,
    /** The section is present and none of its rules names this certificate. */
    NO_RULE
  }

  static final AccessGrant DEFAULT_READ = new AccessGrant(Role.READ, Ground.DEFAULT_READ);
  static final AccessGrant HOST_CERTIFICATE = new AccessGrant(null, Ground.HOST_CERTIFICATE);
  static final AccessGrant NO_RULE = new AccessGrant(null, Ground.NO_RULE);

  /** Whether the grant includes {@code permission} ({@code read}, {@code operate}, {@code admin}). */
  public boolean permits(String permission) {
    return role != null && role.permissions().contains(permission);
  }
}

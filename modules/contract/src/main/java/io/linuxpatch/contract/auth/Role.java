package io.linuxpatch.contract.auth;

import java.util.Locale;
import java.util.Set;

/**
 * A client's role (SEC-6): {@code read} may only GET, {@code operate} may also change packages, patches
 * and jobs, {@code admin} may also reboot. Each role grants the permissions of the roles below it.
 */
public enum Role {
  READ(Set.of("read")),
  OPERATE(Set.of("read", "operate")),
  ADMIN(Set.of("read", "operate", "admin"));

  /** Made once: the permission check of every request reads it (issue 7: it was a new set per call). */
  private final Set<String> permissions;

  Role(Set<String> permissions) {
    this.permissions = permissions;
  }

  /** The permission names this role grants, as vertx-auth-common permission-based authorizations. */
  public Set<String> permissions() {
    return permissions;
  }

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code read|operate|admin}; null when the text is none of them. */
  public static Role parse(String text) {
    if (text == null) {
      return null;
    }
    return switch (text) {
      case "read" -> READ;
      case "operate" -> OPERATE;
      case "admin" -> ADMIN;
      default -> null;
    };
  }
}

package io.linuxpatch.contract.auth;

import java.util.Locale;
import java.util.Set;

/**
 * A client's role (SEC-6): {@code read} may only GET, {@code operate} may also change packages, patches
 * and jobs, {@code admin} may also reboot. Each role grants the permissions of the roles below it.
 */
public enum Role {
  READ, OPERATE, ADMIN;

  /** The permission names this role grants, as vertx-auth-common permission-based authorizations. */
  public Set<String> permissions() {
    return switch (this) {
      case READ -> Set.of("read");
      case OPERATE -> Set.of("read", "operate");
      case ADMIN -> Set.of("read", "operate", "admin");
    };
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

package io.linuxpatch.contract.packages;

import java.util.Locale;
import java.util.Optional;

/** The package-manager families the agent drives (PKG-1); each has its own package-name grammar (SEC-9). */
public enum Backend {
  APT,
  DNF,
  PACMAN,
  APK;

  /** The name used in {@code package_manager.backend} and in the API. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The backend for a configuration value; empty for {@code auto}, {@code none} or anything unknown. */
  public static Optional<Backend> fromConfigName(String value) {
    for (Backend b : values()) {
      if (b.configName().equals(value)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }
}

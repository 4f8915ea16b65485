package io.linuxpatch.contract.packages;

import java.util.Locale;

/**
 * The severity of a patch as the API shows it (endpoint 7), ordered from least to most severe;
 * {@link #UNKNOWN} ranks lowest so that any known severity wins when several advisories are combined.
 */
public enum Severity {
  UNKNOWN,
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  /** The JSON value, e.g. {@code high}. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The more severe of the two. */
  public Severity max(Severity other) {
    return other != null && other.compareTo(this) > 0 ? other : this;
  }
}

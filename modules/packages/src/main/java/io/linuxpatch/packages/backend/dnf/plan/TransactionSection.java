package io.linuxpatch.packages.backend.dnf.plan;

import java.util.Optional;

/**
 * The blocks of dnf 4's transaction table ({@code dnf/cli/output.py list_transaction}), by the header dnf
 * prints (run with {@code LC_ALL=C}: the headers are translated otherwise).
 */
public enum TransactionSection {
  INSTALL("Installing"),
  UPGRADE("Upgrading"),
  REINSTALL("Reinstalling"),
  INSTALL_GROUP_MODULE("Installing group/module packages"),
  INSTALL_GROUP("Installing group packages"),
  INSTALL_DEPENDENCY("Installing dependencies"),
  INSTALL_WEAK_DEPENDENCY("Installing weak dependencies"),
  REMOVE("Removing"),
  REMOVE_DEPENDENT("Removing dependent packages"),
  REMOVE_UNUSED("Removing unused dependencies"),
  DOWNGRADE("Downgrading"),
  /** dnf would upgrade these but for a conflict (best=False): listed, not done. */
  SKIPPED_CONFLICT("Skipping packages with conflicts"),
  /** dnf would upgrade these but for a missing dependency (best=False): listed, not done. */
  SKIPPED_BROKEN("Skipping packages with broken dependencies"),
  SKIPPED_BROKEN_OR_GROUP("Skipping packages with broken dependencies or part of a group");

  private final String header;

  TransactionSection(String header) {
    this.header = header;
  }

  /** The header text without its colon. */
  public String header() {
    return header;
  }

  /** Whether the rows are packages dnf leaves alone. */
  public boolean skipped() {
    return this == SKIPPED_CONFLICT || this == SKIPPED_BROKEN || this == SKIPPED_BROKEN_OR_GROUP;
  }

  /** Whether the rows are removals. */
  public boolean removal() {
    return this == REMOVE || this == REMOVE_DEPENDENT || this == REMOVE_UNUSED;
  }

  /** The section a header line ({@code Installing:}) opens; empty for module/group and unknown blocks. */
  static Optional<TransactionSection> ofHeader(String line) {
    String text = line.endsWith(":") ? line.substring(0, line.length() - 1) : line;
    for (TransactionSection s : values()) {
      if (s.header.equals(text)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}

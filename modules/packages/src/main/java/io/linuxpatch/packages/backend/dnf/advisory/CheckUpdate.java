package io.linuxpatch.packages.backend.dnf.advisory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What {@code dnf check-update} said: exit status 100 when updates are available, 0 when none (1 is a
 * failure for {@code DnfFailure}); one {@code name.arch evr repository} line per update, then an
 * "Obsoleting Packages" block where each obsoleting package is followed by an indented line naming the
 * installed package it replaces. A line dnf wrapped on a narrow terminal (the name alone, the rest indented on
 * the next line) is joined back; other lines ("Last metadata expiration check…") are skipped.
 *
 * @param updatesAvailable exit status 100
 * @param updates          the update lines before the obsoletes block
 * @param obsoletes        the obsoletes block
 */
public record CheckUpdate(boolean updatesAvailable, List<Update> updates, List<Obsolete> obsoletes) {

  /** {@code name.arch evr repository}. */
  public record Update(String name, String arch, String evr, String repository) {
  }

  /** An update that replaces another installed package. */
  public record Obsolete(Update obsoleting, Update obsoleted) {
  }

  public CheckUpdate {
    updates = List.copyOf(updates);
    obsoletes = List.copyOf(obsoletes);
  }

  /**
   * @throws IllegalArgumentException for an exit status other than 0 or 100: dnf failed, nothing was checked
   */
  public static CheckUpdate parse(int exitCode, String stdout) {
    if (exitCode != 0 && exitCode != 100) {
      throw new IllegalArgumentException("dnf check-update failed with exit status " + exitCode);
    }
    List<Update> updates = new ArrayList<>();
    List<Obsolete> obsoletes = new ArrayList<>();
    boolean inObsoletes = false;
    List<String> pending = null;
    Update obsoleting = null;
    for (String line : (stdout == null ? "" : stdout).split("\r?\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (line.equals("Obsoleting Packages")) {
        inObsoletes = true;
        pending = null;
        continue;
      }
      List<String> tokens = Arrays.asList(line.strip().split("\\s+"));
      if (!Character.isWhitespace(line.charAt(0))) {
        pending = new ArrayList<>(tokens);
      } else if (pending != null) {
        pending.addAll(tokens); // the rest of a line dnf wrapped after the name
      } else {
        if (inObsoletes && obsoleting != null && tokens.size() == 3) {
          Update replacing = obsoleting;
          update(tokens).ifPresent(obsoleted -> obsoletes.add(new Obsolete(replacing, obsoleted)));
        }
        continue;
      }
      if (pending.size() < 3) {
        continue; // a wrapped name: the rest follows
      }
      Optional<Update> update = pending.size() == 3 ? update(pending) : Optional.empty();
      pending = null;
      if (update.isPresent()) {
        if (inObsoletes) {
          obsoleting = update.get();
        } else {
          updates.add(update.get());
        }
      }
    }
    return new CheckUpdate(exitCode == 100, updates, obsoletes);
  }

  private static Optional<Update> update(List<String> tokens) {
    String nameArch = tokens.get(0);
    int dot = nameArch.lastIndexOf('.');
    if (dot <= 0 || dot == nameArch.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new Update(nameArch.substring(0, dot), nameArch.substring(dot + 1), tokens.get(1),
        tokens.get(2)));
  }
}

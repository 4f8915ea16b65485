package io.linuxpatch.packages.backend.pacman.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code pacman -Qu} printed: the updates pacman itself would make, one line each,
 * {@code NAME INSTALLED -> AVAILABLE}, with {@code [ignored]} appended for a package in IgnorePkg (which
 * {@code -Su} then leaves alone). {@code -Qu} exits 1 when there is nothing to list, which is not a failure.
 * ({@code --ignore} is refused by {@code -Q}: "invalid option"; holds must be in the configuration's IgnorePkg
 * for {@code -Qu} to mark them.)
 */
public record UpdateListing(List<Update> updates, List<String> unreadLines) {

  private static final Pattern LINE = Pattern.compile("(\\S+) (\\S+) -> (\\S+)( \\[ignored\\])?");

  /** One line of {@code -Qu}. */
  public record Update(String name, String installedVersion, String availableVersion, boolean ignored) {
  }

  public UpdateListing {
    updates = List.copyOf(updates);
    unreadLines = List.copyOf(unreadLines);
  }

  /** Reads {@code -Qu}'s standard output (LC_ALL=C); a line of another shape is kept in {@link #unreadLines}. */
  public static UpdateListing parse(String stdout) {
    List<Update> updates = new ArrayList<>();
    List<String> unread = new ArrayList<>();
    for (String line : stdout == null ? new String[0] : stdout.split("\r?\n")) {
      if (line.isBlank()) {
        continue;
      }
      Matcher m = LINE.matcher(line.strip());
      if (m.matches()) {
        updates.add(new Update(m.group(1), m.group(2), m.group(3), m.group(4) != null));
      } else {
        unread.add(line);
      }
    }
    return new UpdateListing(updates, unread);
  }
}

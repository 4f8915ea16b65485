package io.linuxpatch.process;

import java.util.Arrays;
import java.util.List;

/**
 * The last bytes a child wrote to one pipe, decoded as UTF-8.
 *
 * @param text       the tail; when truncated it starts at the first complete line inside the bound
 * @param truncated  whether the child wrote more than the bound, so earlier output was dropped
 * @param totalBytes how many bytes the child wrote to this pipe in all
 */
public record CapturedOutput(String text, boolean truncated, long totalBytes) {

  public static final CapturedOutput EMPTY = new CapturedOutput("", false, 0);

  /** The tail split into lines, without a trailing empty line. */
  public List<String> lines() {
    if (text.isEmpty()) {
      return List.of();
    }
    return Arrays.asList(text.split("\r?\n"));
  }
}

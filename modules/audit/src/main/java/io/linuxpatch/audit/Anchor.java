package io.linuxpatch.audit;

import io.linuxpatch.audit.seal.Checkpoint;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chain head known from outside the log file (AUD-5): the seq (and, where known, the hash) of a record that
 * the agent had written, as a remote collector received it from syslog or {@code lpa.audit.events}, or as the
 * {@code lpa_audit_seq} metric showed it. The log must reach that seq, with that hash.
 *
 * @param seq    a record's seq
 * @param hash   its hash, or null when only the seq is known (a metric)
 * @param source where it came from, for the report
 */
public record Anchor(long seq, String hash, String source) {

  private static final Pattern ARGUMENT = Pattern.compile("(\\d{1,18})(?::([0-9a-f]{64}))?");

  /** {@code SEQ} or {@code SEQ:HASH} from the command line. */
  public static Anchor parse(String text) {
    Matcher m = ARGUMENT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("an anchor is SEQ or SEQ:HASH (64 lowercase hex digits), got \"" + text + "\"");
    }
    return new Anchor(Long.parseLong(m.group(1)), m.group(2), "--anchor " + text.trim());
  }

  /**
   * The checkpoints in a file of received audit records, one per line: JSON lines as {@code events --address
   * lpa.audit.events} prints them, or syslog lines ending with the record (whatever precedes the first
   * {@code {} is ignored). Only checkpoint records count: they are on disk (fsync) before they are sent, so a
   * crash cannot take them back, whereas buffered records are sent up to a second before they reach the disk.
   */
  public static List<Anchor> checkpointsIn(Path file) throws IOException {
    List<Anchor> anchors = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      int brace = line.indexOf('{');
      if (brace < 0) {
        continue;
      }
      JsonObject record;
      try {
        record = new JsonObject(line.substring(brace));
      } catch (RuntimeException notJson) {
        continue;
      }
      if (Checkpoint.claimed(record) && record.getValue("seq") instanceof Number seq
          && record.getValue("hash") instanceof String hash) {
        anchors.add(new Anchor(seq.longValue(), hash, file + ":" + lineNo));
      }
    }
    return anchors;
  }
}

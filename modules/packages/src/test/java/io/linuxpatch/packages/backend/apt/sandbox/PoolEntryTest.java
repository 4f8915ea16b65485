package io.linuxpatch.packages.backend.apt.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Extra index fields of a pool entry: written into its stanza, refused when they could break or shadow it. */
@DisplayName("A pool entry's extra index fields are single lines that never repeat a control or computed field")
class PoolEntryTest {

  private static final String CONTROL = "Package: demo\nVersion: 1.1\nArchitecture: all\nDescription: demo\n more";
  private static final FileDigest DIGEST = new FileDigest(10, "md5", "sha256");

  @Test
  @DisplayName("extra fields go after the control fields, in the order given, before Filename and the checksums")
  void writtenInOrder() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Phased-Update-Percentage", "0");
    fields.put("Task", "demo-task");

    String stanza = new PoolEntry("demo", "1.1", CONTROL, "pool/main/demo_1.1_all.deb", DIGEST, fields).stanza();

    assertThat(stanza).isEqualTo(CONTROL + "\nPhased-Update-Percentage: 0\nTask: demo-task\n"
        + "Filename: pool/main/demo_1.1_all.deb\nSize: 10\nMD5sum: md5\nSHA256: sha256\n\n");
  }

  @Test
  @DisplayName("a field that repeats a control or computed field, in any case, is refused")
  void noOverride() {
    for (String name : new String[] {"Version", "description", "SHA256", "sha256", "Filename", "Size", "MD5sum"}) {
      assertThatThrownBy(() -> entry(name, "x")).as(name).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("would repeat");
    }
  }

  @Test
  @DisplayName("a value over several lines, blank or padded, or a malformed field name is refused")
  void singleLineOnly() {
    for (String value : new String[] {"0\nFilename: evil", "0\r", "", " ", " 0"}) {
      assertThatThrownBy(() -> entry("Phased-Update-Percentage", value)).as(value)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one non-empty line");
    }
    for (String name : new String[] {"Bad Name", "Bad:Name", "-Lead", "#Comment", ""}) {
      assertThatThrownBy(() -> entry(name, "1")).as(name).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid index field name");
    }
  }

  private static PoolEntry entry(String name, String value) {
    return new PoolEntry("demo", "1.1", CONTROL, "pool/main/demo_1.1_all.deb", DIGEST, Map.of(name, value));
  }
}

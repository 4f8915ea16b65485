package io.linuxpatch.contract.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link YamlDocument}: YAML of ours into JSON, refusing what is not a mapping with string keys. */
class YamlDocumentTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "\n\n", "# only a comment\n", "---\n# nothing else\n", "~"})
  @DisplayName("A document with no value (empty, blank, only comments, explicit null) reads as null")
  void emptyIsNull(String text) throws YamlDocument.Invalid {
    assertThat(YamlDocument.parse(text)).isNull();
  }

  @Test
  @DisplayName("An empty mapping reads as an empty object, not as null")
  void emptyMappingIsEmptyObject() throws YamlDocument.Invalid {
    assertThat(YamlDocument.parse("{}")).isEqualTo(new JsonObject());
  }

  @ParameterizedTest
  @ValueSource(strings = {"just text", "42", "- a\n- b\n", "[1, 2]"})
  @DisplayName("A scalar or a list at the root is refused with a message saying a mapping is needed")
  void nonMappingRootIsInvalid(String text) {
    assertThatThrownBy(() -> YamlDocument.parse(text))
        .isInstanceOf(YamlDocument.Invalid.class)
        .hasMessageContaining("must be a mapping");
  }

  @Test
  @DisplayName("A duplicate key is refused, naming the key and its line")
  void duplicateKeyIsInvalid() {
    assertThatThrownBy(() -> YamlDocument.parse("server:\n  port: 1\n  port: 2\n"))
        .isInstanceOf(YamlDocument.Invalid.class)
        .hasMessageContaining("duplicate key port")
        .hasMessageContaining("line 3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1: x", "true: x", "server:\n  8443: x\n", "? [a]\n: x\n", "~: x"})
  @DisplayName("A key that is not text (number, boolean, list, null) is refused")
  void nonStringKeyIsInvalid(String text) {
    assertThatThrownBy(() -> YamlDocument.parse(text))
        .isInstanceOf(YamlDocument.Invalid.class)
        .hasMessageContaining("must be text");
  }

  @Test
  @DisplayName("A non-text key inside a section is reported with the section's path")
  void nonStringKeyNamesPath() {
    assertThatThrownBy(() -> YamlDocument.parse("server:\n  8443: x\n"))
        .hasMessage("key 8443 under server must be text");
  }

  @Test
  @DisplayName("Broken YAML is refused with the line and column of the problem")
  void syntaxErrorNamesLineAndColumn() {
    assertThatThrownBy(() -> YamlDocument.parse("server:\n  port: 1\n bind: x\n"))
        .isInstanceOf(YamlDocument.Invalid.class)
        .hasMessageStartingWith("not valid YAML at line 3, column 2");
    assertThatThrownBy(() -> YamlDocument.parse("a: b: c"))
        .hasMessageStartingWith("not valid YAML at line 1, column 5");
  }

  @Test
  @DisplayName("A Java type tag is refused by the safe constructor")
  void globalTagIsInvalid() {
    assertThatThrownBy(() -> YamlDocument.parse("a: !!javax.script.ScriptEngineManager [x]"))
        .isInstanceOf(YamlDocument.Invalid.class);
  }

  @Test
  @DisplayName("The billion-laughs alias bomb is refused within a second")
  void billionLaughsIsRefusedQuickly() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int level = 1; level <= 9; level++) {
      String prev = "*a" + (level - 1);
      yaml.append("a").append(level).append(": &a").append(level).append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(9, prev))).append("]\n");
    }
    assertTimeoutPreemptively(Duration.ofSeconds(1), () ->
        assertThatThrownBy(() -> YamlDocument.parse(yaml.toString()))
            .isInstanceOf(YamlDocument.Invalid.class)
            .hasMessageContaining("aliases"));
  }

  @Test
  @DisplayName("A 10 KB document that doubles through 20 aliases to a million values is refused, not expanded")
  void aliasExpansionUnderTheAliasLimitIsRefused() {
    // 20 aliases (the configured maximum) double a 1000-item list ten times: 1,024,000 values from 10 KB.
    // SnakeYAML shares the nodes, but the conversion to JSON copies each reference; at 300,000 items the
    // same shape exhausts a 512 MB heap.
    StringBuilder yaml = new StringBuilder("l0: &l0 [")
        .append(String.join(",", java.util.Collections.nCopies(1000, "x"))).append("]\n");
    for (int level = 1; level <= 10; level++) {
      yaml.append("l").append(level).append(": &l").append(level)
          .append(" [*l").append(level - 1).append(", *l").append(level - 1).append("]\n");
    }
    assertThatThrownBy(() -> YamlDocument.parse(yaml.toString())).isInstanceOf(YamlDocument.Invalid.class);
  }

  @Test
  @DisplayName("A self-referencing alias is refused as Invalid instead of overflowing the stack")
  void recursiveAliasIsInvalid() {
    assertThatThrownBy(() -> YamlDocument.parse("a: &x [*x]")).isInstanceOf(YamlDocument.Invalid.class);
    assertThatThrownBy(() -> YamlDocument.parse("a: &x {b: *x}")).isInstanceOf(YamlDocument.Invalid.class);
  }

  @Test
  @DisplayName("Nesting deeper than the limit is refused")
  void deepNestingIsInvalid() {
    String deep = "a: " + "[".repeat(50) + "]".repeat(50);
    assertThatThrownBy(() -> YamlDocument.parse(deep)).isInstanceOf(YamlDocument.Invalid.class);
  }

  @Test
  @DisplayName("A document larger than 1 MiB is refused before parsing")
  void oversizedIsInvalid() {
    String big = "a: \"" + "x".repeat(1024 * 1024) + "\"";
    assertThatThrownBy(() -> YamlDocument.parse(big))
        .isInstanceOf(YamlDocument.Invalid.class)
        .hasMessageContaining("larger than");
  }

  @Test
  @DisplayName("Nested mappings and lists become JsonObject and JsonArray with scalars of their YAML types")
  void nestedConversion() throws YamlDocument.Invalid {
    JsonObject doc = YamlDocument.parse("""
        server:
          port: 12443
          http2: true
          ratio: 0.5
          nothing: ~
        list:
          - a
          - {b: [1, "2"]}
          - [x, y]
        big: 4000000000
        """);
    JsonObject server = doc.getJsonObject("server");
    assertThat(server.getValue("port")).isEqualTo(12443);
    assertThat(server.getValue("http2")).isEqualTo(true);
    assertThat(server.getValue("ratio")).isEqualTo(0.5);
    assertThat(server.containsKey("nothing")).isTrue();
    assertThat(server.getValue("nothing")).isNull();
    JsonArray list = doc.getJsonArray("list");
    assertThat(list.getValue(0)).isEqualTo("a");
    assertThat(list.getJsonObject(1).getJsonArray("b")).isEqualTo(new JsonArray().add(1).add("2"));
    assertThat(list.getJsonArray(2)).isEqualTo(new JsonArray().add("x").add("y"));
    assertThat(doc.getValue("big")).isEqualTo(4_000_000_000L);
    // The result is plain JSON: it encodes without error.
    assertThat(new JsonObject(doc.encode())).isEqualTo(doc);
  }

  @Test
  @DisplayName("A merge key (<<) folds the referenced mapping into its parent")
  void mergeKey() throws YamlDocument.Invalid {
    assertThat(YamlDocument.parse("base: &b {a: 1}\nx:\n  <<: *b\n  c: 2\n").getJsonObject("x"))
        .isEqualTo(new JsonObject().put("a", 1).put("c", 2));
  }

  @Test
  @DisplayName("A date or timestamp value is kept as the text written in the file")
  void dateKeptAsText() throws YamlDocument.Invalid {
    JsonObject doc = YamlDocument.parse("day: 2024-01-02\nat: 2024-01-02T03:04:05Z\n");
    assertThat(doc.getValue("day")).isEqualTo("2024-01-02");
    assertThat(doc.getValue("at")).isEqualTo("2024-01-02T03:04:05Z");
  }

  @Test
  @DisplayName("An integer too large for a long is kept as its digits")
  void bigIntegerKeptAsText() throws YamlDocument.Invalid {
    assertThat(YamlDocument.parse("n: 99999999999999999999").getValue("n")).isEqualTo("99999999999999999999");
  }
}

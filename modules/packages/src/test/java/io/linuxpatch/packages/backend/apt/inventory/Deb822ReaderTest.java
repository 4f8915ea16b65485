package io.linuxpatch.packages.backend.apt.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A deb822 stream is read a chunk at a time with the same stanzas and line numbers as the whole text")
class Deb822ReaderTest {

  private static final Deb822Reader READER = new Deb822Reader(List.of("Package", "Version", "Description"));

  /** Every stanza as "line: package version summary" plus its problems, the way a caller sees them. */
  private static List<String> stanzas(ReadCall call) throws IOException {
    List<String> seen = new ArrayList<>();
    call.read(stanza -> {
      seen.add(stanza.firstLine() + ": " + stanza.value(0) + " " + stanza.value(1) + " " + stanza.line(2));
      stanza.problems().forEach(p -> seen.add("problem " + p));
    });
    return seen;
  }

  @FunctionalInterface
  private interface ReadCall {
    void read(java.util.function.Consumer<Deb822Reader.Stanza> handler) throws IOException;
  }

  @ParameterizedTest(name = "reads of at most {0} bytes")
  @ValueSource(ints = {1, 7, 64, 4096, 1 << 20})
  @DisplayName("however the stream delivers its bytes, stanzas, values, line numbers and problems are those of the whole text")
  void streamMatchesWholeText(int readSize) throws IOException {
    // Over 1 MiB, so that the stream is cut into chunks at least once whatever the read size.
    String text = CompressedAptListsTest.largePackages().repeat(4) + "stray line\n\nPackage: last\nVersion: 9\n";
    List<String> whole = stanzas(handler -> READER.read("Packages", text, handler));

    List<String> streamed = stanzas(handler -> READER.read("Packages",
        trickling(text.getBytes(StandardCharsets.UTF_8), readSize), 8 << 20, handler));

    assertThat(text.length()).isGreaterThan(1 << 20);
    assertThat(whole).hasSizeGreaterThan(16_000);
    assertThat(streamed).isEqualTo(whole);
  }

  @Test
  @DisplayName("a stanza longer than the limit ends the read with an error naming its first line, not a huge buffer")
  void oversizedStanza() {
    String text = "Package: a\nVersion: 1\n\nPackage: b\nDescription: x\n" + " more\n".repeat(200_000);

    assertThatThrownBy(() -> READER.read("Packages", new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)),
        1 << 20, stanza -> { }))
        .isInstanceOf(IOException.class)
        .hasMessage("Packages: a stanza starting at line 4 is longer than 1048576 bytes");
  }

  /** A stream that hands out at most {@code readSize} bytes per read, like a slow pipe or decompressor. */
  private static InputStream trickling(byte[] bytes, int readSize) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, readSize));
      }
    };
  }
}

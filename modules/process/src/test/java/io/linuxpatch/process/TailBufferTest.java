package io.linuxpatch.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The bounded tail keeps the last bytes and starts at a whole line. */
class TailBufferTest {

  private static void write(TailBuffer buffer, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    buffer.append(bytes, 0, bytes.length);
  }

  @Test
  @DisplayName("Output within the bound is kept whole and not marked truncated")
  void withinBound() {
    TailBuffer buffer = new TailBuffer(64);
    write(buffer, "one\n");
    write(buffer, "two\n");
    assertThat(buffer.snapshot()).isEqualTo(new CapturedOutput("one\ntwo\n", false, 8));
  }

  @Test
  @DisplayName("Beyond the bound only the last bytes survive, starting at the first whole line")
  void keepsTheTail() {
    TailBuffer buffer = new TailBuffer(10);
    for (int i = 0; i < 100; i++) {
      write(buffer, "l" + i + "\n");
    }
    CapturedOutput out = buffer.snapshot();
    assertThat(out.truncated()).isTrue();
    assertThat(out.text()).isEqualTo("l98\nl99\n");
    assertThat(out.lines()).containsExactly("l98", "l99");
    assertThat(out.totalBytes()).isEqualTo(390);
  }

  @Test
  @DisplayName("A single chunk larger than the bound keeps exactly its last bytes")
  void bigChunk() {
    TailBuffer buffer = new TailBuffer(4);
    write(buffer, "abcdefgh");
    assertThat(buffer.snapshot().text()).isEqualTo("efgh");
  }

  @Test
  @DisplayName("A zero bound keeps nothing yet still counts and reports truncation")
  void zeroBound() {
    TailBuffer buffer = new TailBuffer(0);
    write(buffer, "abc");
    assertThat(buffer.snapshot()).isEqualTo(new CapturedOutput("", true, 3));
  }

  @Test
  @DisplayName("A large bound is grown into as output arrives: all of it kept below the bound, the tail beyond it")
  void growsUpToTheBound() {
    TailBuffer roomy = new TailBuffer(32 * 1024 * 1024);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      String line = "line " + i + "\n";
      expected.append(line);
      write(roomy, line);
    }
    assertThat(roomy.snapshot()).isEqualTo(new CapturedOutput(expected.toString(), false, expected.length()));

    TailBuffer bounded = new TailBuffer(20_000);
    for (int i = 0; i < 5000; i++) {
      write(bounded, "line " + i + "\n");
    }
    CapturedOutput tail = bounded.snapshot();
    assertThat(tail.truncated()).isTrue();
    assertThat(tail.lines()).endsWith("line 4998", "line 4999");
    assertThat(tail.text()).startsWith("line ").hasSizeLessThanOrEqualTo(20_000);
    assertThat(tail.totalBytes()).isEqualTo(expected.length());
  }
}

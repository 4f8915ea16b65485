package io.linuxpatch.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: every answer's direct memory goes back to Netty's allocator once it is written. The envelope is
 * built in pooled direct memory and handed to Vert.x, which writes it through an unreleasable view; when the
 * agent did not release it itself, the memory came back on Java 17 only with the garbage collector and on
 * Java 25 (Netty without sun.misc.Unsafe) never: 2 GB of RSS after the load benchmark. The allocator's own
 * count of direct memory in use shows the difference on every Java, without waiting for a collector.
 */
@Tag("OPS-4")
class DirectMemoryTest {

  private static final int REQUESTS = 2_000;
  /** Far less than what {@link #REQUESTS} unreleased answers of 2.5 KB hold (about 5 MB). */
  private static final long SLACK = 2L * 1024 * 1024;

  @TempDir
  Path dir;
  AgentUnderTest agent;

  @BeforeEach
  void start() throws Exception {
    agent = new AgentUnderTest(dir).start();
  }

  @AfterEach
  void stop() {
    agent.close();
  }

  private static long directInUse() {
    return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
  }

  @Test
  @DisplayName("the direct memory of 2,000 answers is back in the allocator once they are written")
  void answersReleased() throws Exception {
    long before;
    try (TlsClient client = agent.connect()) {
      assertThat(client.get("/health").status()).isEqualTo(200);
      before = directInUse();
      for (int i = 0; i < REQUESTS; i++) {
        TlsClient.Response response = client.get(i % 2 == 0 ? "/health" : "/api/v1/system/info");
        assertThat(response.status()).isEqualTo(200);
      }
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(directInUse()).as("direct memory in use, before the requests: %d", before)
            .isLessThan(before + SLACK));
  }
}

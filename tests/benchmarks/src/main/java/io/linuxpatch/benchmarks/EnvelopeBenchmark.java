package io.linuxpatch.benchmarks;

import io.linuxpatch.contract.EncodedJson;
import io.linuxpatch.http.EnvelopeEncoding;
import io.netty.buffer.ByteBuf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * API-2's envelope around a 1,000-package listing (~200 KB) and around the health answer: the old way
 * (the envelope as a JsonObject holding a copy of the data, encoded per request), and the agent's way
 * (data encoded once, {@link EncodedJson}, and referenced by a per-request head and tail), plus the
 * one-off encoding of small data that is not cached.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnvelopeBenchmark {

  private static final String REQUEST_ID = "3f0c2a4e-9b1d-4c55-8a77-0d2e6f1b9c31";

  private JsonObject listing;
  private EncodedJson encodedListing;
  private JsonObject health;

  @Setup(Level.Trial)
  public void setUp() {
    JsonArray packages = new JsonArray();
    for (int i = 0; i < 1000; i++) {
      packages.add(new JsonObject()
          .put("name", "pkg-" + i)
          .put("version", i % 7 + ".2." + i % 13 + "-1+deb12u" + i % 3)
          .put("architecture", "amd64")
          .put("status", "installed")
          .put("size_bytes", (100 + i % 5000) * 1024L)
          .put("description", "synthetic package number " + i)
          .put("upgradable", false)
          .putNull("available_version")
          .putNull("source"));
    }
    listing = new JsonObject().put("packages", packages).put("total", 3000).put("limit", 1000).put("offset", 0);
    encodedListing = EncodedJson.of(listing);
    health = new JsonObject().put("status", "healthy").put("version", "0.1.0").put("uptime_seconds", 42L)
        .put("host_uptime_seconds", 4242L).put("checks", new JsonObject()
            .put("config", new JsonObject().put("status", "healthy").put("message", "valid")
                .put("details", new JsonObject()).put("checked_at", "2026-11-25T22:00:00Z")));
  }

  /** Before issue 7: a new envelope object holding the data, encoded whole for every request. */
  @Benchmark
  public String listingEnvelopeObjectEncoded() {
    return new JsonObject()
        .put("success", true)
        .put("request_id", REQUEST_ID)
        .put("timestamp", EnvelopeEncoding.now())
        .put("data", listing.copy()) // what the event bus' JsonObject codec did to the reply
        .putNull("error")
        .encode();
  }

  /** Now: the listing's bytes encoded once, referenced from a per-request head and tail. */
  @Benchmark
  public int listingEnvelopePreEncoded() {
    ByteBuf answer = EnvelopeEncoding.ok(REQUEST_ID, EnvelopeEncoding.now(), encodedListing.bytes());
    int length = answer.readableBytes();
    // Writing an answer releases it (its head is a pooled direct buffer); so must the benchmark.
    answer.release();
    return length;
  }

  /** Small data encoded per request (answers that are not cached). */
  @Benchmark
  public ByteBuf healthEnvelopeEncoded() {
    return EnvelopeEncoding.ok(REQUEST_ID, EnvelopeEncoding.now(), health);
  }

  /** The per-request timestamp (formatted at most once per millisecond). */
  @Benchmark
  public String timestamp() {
    return EnvelopeEncoding.now();
  }
}

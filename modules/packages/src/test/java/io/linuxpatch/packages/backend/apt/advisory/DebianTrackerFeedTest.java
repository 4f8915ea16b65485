package io.linuxpatch.packages.backend.apt.advisory;

import io.linuxpatch.packages.advisory.AdvisoryLookup;
import io.linuxpatch.packages.advisory.AdvisoryMatch;
import io.linuxpatch.packages.advisory.Provenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.contract.packages.Severity;
import io.linuxpatch.packages.backend.apt.plan.TestDebianVersions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The Debian security tracker feed gives CVEs and severity for a patch, and bad feeds fail clearly")
class DebianTrackerFeedTest {

  private static final String FEED = """
      {
        "openssl": {
          "CVE-2024-0001": {
            "description": "a high one", "scope": "remote",
            "releases": {
              "bookworm": {"status": "resolved", "fixed_version": "3.0.11-1~deb12u2", "urgency": "high",
                           "repositories": {"bookworm": "3.0.11-1~deb12u2"}},
              "trixie": {"status": "resolved", "fixed_version": "3.1.0-1", "urgency": "high"}
            }
          },
          "CVE-2024-0002": {
            "description": "a medium one",
            "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.11-1~deb12u2",
                                      "urgency": "medium"}}
          },
          "CVE-2023-0003": {
            "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.9-1", "urgency": "low"}}
          },
          "CVE-2024-0004": {
            "releases": {"bookworm": {"status": "open", "urgency": "high"}}
          },
          "CVE-2024-0005": {
            "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.12-1", "urgency": "high"}}
          },
          "CVE-2020-0006": {
            "releases": {"bookworm": {"status": "resolved", "fixed_version": "0", "urgency": "high"}}
          }
        },
        "zlib": {
          "CVE-2024-0010": {
            "releases": {"bookworm": {"status": "resolved", "fixed_version": "1:1.2.13.dfsg-1+deb12u1",
                                      "urgency": "not yet assigned"}}
          },
          "TEMP-0000000-ABCDEF": {
            "releases": {"bookworm": {"status": "resolved", "fixed_version": "1:1.2.13.dfsg-1+deb12u1",
                                      "urgency": "unimportant"}}
          }
        },
        "weird": {
          "CVE-2024-0020": "not an object",
          "CVE-2024-0021": {"releases": ["also", "wrong"]},
          "CVE-2024-0022": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "1.1",
                                                      "urgency": "medium"}}}
        },
        "broken-package": 42
      }
      """;

  private static FeedLoad read(String json) {
    return new DebianTrackerFeed(TestDebianVersions.ORDER)
        .read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static FeedLoad.Loaded loaded() {
    FeedLoad load = read(FEED);
    assertThat(load).isInstanceOf(FeedLoad.Loaded.class);
    return (FeedLoad.Loaded) load;
  }

  @Test
  @DisplayName("A patch gets the CVEs fixed above the installed and up to the candidate, with the highest urgency")
  void lookup() {
    AdvisoryMatch match = loaded().index().lookup("openssl", "bookworm", "3.0.11-1~deb12u1", "3.0.11-1~deb12u2");
    assertThat(match.cveIds()).containsExactly("CVE-2024-0001", "CVE-2024-0002");
    assertThat(match.severity()).isEqualTo(Severity.HIGH);
    assertThat(match.severitySource()).isEqualTo("debian-security-tracker");
  }

  @Test
  @DisplayName("An older installed version also gets the earlier fixes; open and never-affected entries never count")
  void olderInstalled() {
    AdvisoryMatch match = loaded().index().lookup("openssl", "bookworm", "3.0.8-1", "3.0.11-1~deb12u2");
    assertThat(match.cveIds()).containsExactly("CVE-2023-0003", "CVE-2024-0001", "CVE-2024-0002");
    assertThat(loaded().index().fixes("openssl", "bookworm")).extracting(TrackerFix::cveId)
        .doesNotContain("CVE-2024-0004", "CVE-2020-0006");
  }

  @Test
  @DisplayName("A known urgency outranks not yet assigned: not yet assigned plus unimportant is low")
  void urgencies() {
    AdvisoryMatch zlib = loaded().index().lookup("zlib", "bookworm", "1:1.2.13.dfsg-1", "1:1.2.13.dfsg-1+deb12u1");
    assertThat(zlib.cveIds()).containsExactly("CVE-2024-0010", "TEMP-0000000-ABCDEF");
    assertThat(zlib.severity()).isEqualTo(Severity.LOW);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "null", textBlock = """
      high,             HIGH
      medium,           MEDIUM
      low,              LOW
      unimportant,      LOW
      not yet assigned, UNKNOWN
      end-of-life,      UNKNOWN
      low**,            LOW
      null,             UNKNOWN
      """)
  @DisplayName("Each tracker urgency has one severity; the feed has no critical")
  void urgencyMapping(String urgency, Severity severity) {
    assertThat(new TrackerFix("CVE-1", "1", urgency).severity()).isEqualTo(severity);
  }

  @Test
  @DisplayName("An unknown package, release or a patch that fixes nothing listed gives unknown with no source")
  void unknown() {
    DebianTrackerIndex index = loaded().index();
    assertThat(index.lookup("no-such-source", "bookworm", "1", "2")).isEqualTo(AdvisoryMatch.NONE);
    assertThat(index.lookup("openssl", "bullseye", "1", "9")).isEqualTo(AdvisoryMatch.NONE);
    assertThat(index.lookup("openssl", "bookworm", "3.0.11-1~deb12u2", "3.0.11-1~deb12u3"))
        .isEqualTo(AdvisoryMatch.NONE);
    AdvisoryMatch none = AdvisoryLookup.none().lookup("openssl", "bookworm", "1", "2");
    assertThat(none.severity()).isEqualTo(Severity.UNKNOWN);
    assertThat(none.severitySource()).isNull();
  }

  @Test
  @DisplayName("Entries of the wrong shape are skipped with their package and CVE named; the rest is used")
  void oddEntries() {
    FeedLoad.Loaded load = loaded();
    assertThat(load.problems()).containsExactly(
        "weird CVE-2024-0020: not an object",
        "weird CVE-2024-0021: releases is not an object",
        "broken-package: not an object of CVEs");
    assertThat(load.problemCount()).isEqualTo(3);
    assertThat(load.index().lookup("weird", "bookworm", "1.0", "1.1").cveIds()).containsExactly("CVE-2024-0022");
  }

  @Test
  @DisplayName("A version the comparator cannot read skips that entry instead of failing the lookup")
  void comparatorFailure() {
    FeedLoad load = new DebianTrackerFeed((a, b) -> {
      throw new IllegalArgumentException("bad version");
    }).read(new ByteArrayInputStream(FEED.getBytes(StandardCharsets.UTF_8)));
    assertThat(((FeedLoad.Loaded) load).index().lookup("openssl", "bookworm", "1", "2")).isEqualTo(AdvisoryMatch.NONE);
  }

  @Test
  @DisplayName("Malformed, truncated, non-object and unreadable feeds fail with a clear message, never a crash")
  void malformed() {
    assertThat(read("{\"openssl\": {\"CVE-1\": {\"releases\": {")).isInstanceOfSatisfying(FeedLoad.Failed.class,
        f -> assertThat(f.message()).startsWith("advisory feed is not valid JSON at line 1"));
    assertThat(read("{\"a\": nope}")).isInstanceOfSatisfying(FeedLoad.Failed.class,
        f -> assertThat(f.message()).contains("not valid JSON").contains("column"));
    assertThat(read("[1, 2]")).isInstanceOfSatisfying(FeedLoad.Failed.class,
        f -> assertThat(f.message()).contains("expected a JSON object"));
    assertThat(read("")).isInstanceOf(FeedLoad.Failed.class);
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("disk on fire");
      }
    };
    assertThat(new DebianTrackerFeed(TestDebianVersions.ORDER).read(failing))
        .isInstanceOfSatisfying(FeedLoad.Failed.class, f -> assertThat(f.message()).contains("disk on fire"));
  }

  @Test
  @DisplayName("A feed of many thousands of packages streams into an index without holding descriptions")
  void large() {
    StringBuilder big = new StringBuilder("{");
    for (int i = 0; i < 20_000; i++) {
      big.append(i == 0 ? "" : ",").append("\"pkg").append(i).append("\": {\"CVE-2024-").append(i)
          .append("\": {\"description\": \"").append("x".repeat(200)).append("\", \"releases\": {\"bookworm\": ")
          .append("{\"status\": \"resolved\", \"fixed_version\": \"1.").append(i).append("\", \"urgency\": \"low\"}}}}");
    }
    big.append('}');
    FeedLoad.Loaded load = (FeedLoad.Loaded) read(big.toString());
    assertThat(load.index().size()).isEqualTo(20_000);
    assertThat(load.index().lookup("pkg77", "bookworm", "1.0", "1.77").cveIds()).isEqualTo(List.of("CVE-2024-77"));
  }

  @Test
  @DisplayName("The provenance object carries the classification reason and the severity source")
  void provenance() {
    AdvisoryMatch match = loaded().index().lookup("openssl", "bookworm", "3.0.11-1~deb12u1", "3.0.11-1~deb12u2");
    assertThat(Provenance.of("candidate from bookworm-security (Debian-Security)", match).toJson().encode())
        .isEqualTo("{\"reason\":\"candidate from bookworm-security (Debian-Security)\","
            + "\"severity_source\":\"debian-security-tracker\"}");
    assertThat(Provenance.of("x", AdvisoryMatch.NONE).toJson().containsKey("severity_source")).isTrue();
  }
}
